import type { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import { type Attributes, type Context, context } from '@opentelemetry/api';
import type { LoadEvent, LockWaitEvent } from '@redcache/core';
import { guarded } from './guarded.js';
import { SPAN_ATTRIBUTES, type TracedEvent } from './span-attributes.js';
import { SpanFrame, type SpanSettings } from './span-frame.js';
import type { FrameStorage } from './trace-calls.js';

/** How one kind of child run (a loader run, a lock wait) becomes a span. */
export interface ChildSpec<E extends TracedEvent> {
  /** The span's name, e.g. `redcache load`. */
  readonly name: string;
  /** The attributes the run's end adds (its outcome). */
  readonly endAttributes: (event: E) => Attributes;
}

/**
 * Traces a child channel (`redcache:load`, `redcache:lockWait`): each run gets a span at once,
 * whose parent is the span of the call (or refresh) it runs in (the frame in `frames`, whose
 * span starts now if it had not), else the active context. With `storage` (OTel's own context
 * storage), the span is made active for the code the channel traces, through `start.bindStore`:
 * the loader's own spans nest under the loader span.
 *
 * @param channelName - the TracingChannel's name
 * @param settings - the tracer and options
 * @param frames - where the enclosing call's frame is
 * @param spec - the span's name and end attributes
 * @param storage - OTel's context storage, to bind; undefined: the traced code keeps its context
 * @returns what stops tracing the channel
 */
export function traceChildChannel<E extends TracedEvent & { error?: unknown }>(
  channelName: string,
  settings: SpanSettings,
  frames: FrameStorage,
  spec: ChildSpec<E>,
  storage: AsyncLocalStorage<Context> | undefined,
): () => void {
  const channel = tracingChannel<Context, E>(channelName);
  const runs = new WeakMap<E, SpanFrame<E>>();
  const begin = (event: E): SpanFrame<E> => {
    const parent = frames.getStore()?.childContext() ?? context.active();
    const frame = new SpanFrame(settings, spec.name, event, parent, performance.now());
    frame.open();
    runs.set(event, frame);
    return frame;
  };
  const settle = (event: E): void => {
    runs.get(event)?.end(spec.endAttributes(event));
    runs.delete(event);
  };
  const handlers = {
    start:
      storage === undefined
        ? guarded((event: E) => {
            begin(event);
          }, noop)
        : noop,
    // A synchronous throw publishes `error` then `end`, and no async event: settle there.
    end: guarded((event: E) => {
      if (event.error !== undefined) settle(event);
    }, noop),
    asyncStart: noop,
    asyncEnd: guarded(settle, noop),
    error: guarded((event: E) => runs.get(event)?.fail(event.error), noop),
  };
  const activeFor = guarded(
    (event: E) => begin(event).childContext(),
    () => context.active(),
  );
  if (storage !== undefined) channel.start.bindStore(storage, activeFor);
  channel.subscribe(handlers);
  return () => {
    channel.unsubscribe(handlers);
    if (storage !== undefined) channel.start.unbindStore(storage);
  };
}

function noop(): void {}

/** The span rules of `redcache:load`. */
export const loadSpec: ChildSpec<LoadEvent> = {
  name: 'redcache load',
  endAttributes: (event) =>
    event.outcome === undefined ? {} : { [SPAN_ATTRIBUTES.loadOutcome]: event.outcome },
};

/** The span rules of `redcache:lockWait`. */
export const lockWaitSpec: ChildSpec<LockWaitEvent> = {
  name: 'redcache lockWait',
  endAttributes: (event) => (event.ended === undefined ? {} : { [SPAN_ATTRIBUTES.lockWaitEnd]: event.ended }),
};
