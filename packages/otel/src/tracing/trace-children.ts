import type { Attributes, Context } from '@opentelemetry/api';
import type { LoadEvent, LockWaitEvent } from '@redcache/core';
import { type ContextStorage, currentContext } from './context-storage.js';
import { SPAN_ATTRIBUTES, type TracedEvent } from './span-attributes.js';
import { SpanFrame, type SpanSettings } from './span-frame.js';
import { subscribeRuns } from './subscribe-runs.js';

/** How one kind of child run (a loader run, a lock wait) becomes a span. */
export interface ChildSpec<E extends TracedEvent> {
  /** The span's name, e.g. `redcache load`. */
  readonly name: string;
  /** The attributes the run's end adds (its outcome). */
  readonly endAttributes: (event: E) => Attributes;
}

/**
 * Traces a child channel (`redcache:load`, `redcache:lockWait`): each run gets a span at once,
 * whose parent is the context current where it starts — the run's call (or refresh), whose
 * span that starts if it had not. The span's context is bound to `start` in `storage`, so what
 * the traced code does runs with it active: with OTel's own storage, the loader's own spans
 * nest under the loader span.
 *
 * @param channelName - the TracingChannel's name
 * @param settings - the tracer and options
 * @param storage - the context storage (OTel's, or a private one when OTel's is out of reach)
 * @param spec - the span's name and end attributes
 * @returns what stops tracing the channel
 */
export function traceChildChannel<E extends TracedEvent & { error?: unknown }>(
  channelName: string,
  settings: SpanSettings,
  storage: ContextStorage,
  spec: ChildSpec<E>,
): () => void {
  const runs = new WeakMap<E, SpanFrame<E>>();
  const begin = (event: E): Context => {
    const frame = new SpanFrame(settings, spec.name, event, currentContext(storage), performance.now());
    runs.set(event, frame);
    return frame.childContext();
  };
  const settle = (event: E): void => {
    runs.get(event)?.end(spec.endAttributes(event));
    runs.delete(event);
  };
  return subscribeRuns(channelName, storage, {
    begin,
    settle,
    fail: (event) => runs.get(event)?.fail(event.error),
  });
}

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
