import type { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import { type Attributes, type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { CallEvent, RefreshEvent } from '@redcache/core';
import { guarded } from './guarded.js';
import { OUTCOME_COUNT_PREFIX, SPAN_ATTRIBUTES, type TracedEvent } from './span-attributes.js';
import { SpanFrame, type SpanSettings } from './span-frame.js';

/** Where the frame of the call (or refresh) being run is: children find their parent there. */
export type FrameStorage = AsyncLocalStorage<SpanFrame | undefined>;

/** How one kind of parent run (a call or a refresh) becomes a span. */
export interface ParentSpec<E extends TracedEvent> {
  /** The span's name, e.g. `redcache get`. */
  readonly name: string;
  /** The attributes the run's end adds (its outcome). */
  readonly endAttributes: (event: E) => Attributes;
  /** True when the settled run gets no span at all (a near hit, unless near hits are traced). */
  readonly skip: (event: E) => boolean;
  /**
   * True for a run that is the root of its own trace, whatever context is active where it
   * starts: a refresh runs in whichever context its worker was started from (a call's, often
   * another's than the one that triggered it), so that context is no parent for it.
   */
  readonly root?: boolean;
  /**
   * True for a run whose span starts with it and is made active (in OTel's context storage,
   * when there is one) for its own code, so the spans made inside it (a write's or refresh's
   * loader, the Redis client's commands) nest under it. False: the span starts lazily and is
   * never the active one (the price of near hits that cost no span).
   */
  readonly active?: boolean;
}

/**
 * Traces one call channel (`redcache:get`, …) or `redcache:refresh`: each run gets a
 * {@link SpanFrame} in `frames` (bound to `start`, so it is the store while the run goes on and
 * in its `end`, `asyncStart`, `asyncEnd` and `error` events), whose parent is the context active
 * when the run started (none, with `spec.root`). Its span starts only when a child (loader run,
 * lock wait) needs it or when the run settled with an outcome `skip` does not drop; so a
 * skipped near hit costs one frame object, a clock read and a store switch, and makes no span.
 *
 * @param channelName - the TracingChannel's name
 * @param settings - the tracer and options
 * @param frames - the storage every traced channel of this `createOtelTracing` shares
 * @param spec - the span's name, end attributes and skip rule
 * @param storage - OTel's context storage, bound for a `spec.active` run (undefined: not bound)
 * @returns what stops tracing the channel
 */
export function traceParentChannel<E extends TracedEvent & { error?: unknown }>(
  channelName: string,
  settings: SpanSettings,
  frames: FrameStorage,
  spec: ParentSpec<E>,
  storage?: AsyncLocalStorage<Context>,
): () => void {
  const channel = tracingChannel<unknown, E>(channelName);
  const frameOf = (event: E): SpanFrame | undefined => {
    const frame = frames.getStore();
    return frame?.event === event ? frame : undefined;
  };
  const settle = (event: E): void => {
    const frame = frameOf(event);
    if (frame === undefined) return;
    if (!frame.started && spec.skip(event)) frame.drop();
    else frame.end(spec.endAttributes(event));
  };
  const handlers = {
    start: noop,
    // A synchronous throw publishes `error` then `end`, and no async event: settle there.
    end: guarded((event: E) => {
      if (event.error !== undefined) settle(event);
    }, noop),
    asyncStart: noop,
    asyncEnd: guarded(settle, noop),
    error: guarded((event: E) => frameOf(event)?.fail(event.error), noop),
  };
  const parentOf = spec.root === true ? () => ROOT_CONTEXT : () => context.active();
  // Both stores' transforms make or find the run's frame, whichever Node runs first.
  const made = new WeakMap<E, SpanFrame>();
  const frameFor = (event: E): SpanFrame => {
    let frame = made.get(event);
    if (frame === undefined) {
      frame = new SpanFrame(settings, spec.name, event, parentOf(), performance.now());
      made.set(event, frame);
    }
    return frame;
  };
  const active = spec.active === true ? storage : undefined;
  const newFrame = (event: E) => new SpanFrame(settings, spec.name, event, parentOf(), performance.now());
  const frameStore = tracingChannel<SpanFrame | undefined, E>(channelName).start;
  frameStore.bindStore(
    frames,
    guarded(active === undefined ? newFrame : frameFor, () => undefined),
  );
  const contextStore = tracingChannel<Context, E>(channelName).start;
  if (active !== undefined) {
    contextStore.bindStore(
      active,
      guarded(
        (event: E) => frameFor(event).childContext(),
        () => context.active(),
      ),
    );
  }
  channel.subscribe(handlers);
  return () => {
    channel.unsubscribe(handlers);
    frameStore.unbindStore(frames);
    if (active !== undefined) contextStore.unbindStore(active);
  };
}

function noop(): void {}

/**
 * The span rules of a call channel.
 *
 * @param op - the channel's operation (`get`, `getMulti`, …)
 * @param nearHits - whether a call that was a near hit gets a span
 * @returns its name (`redcache <op>`), outcome attributes, near-hit rule, and whether its span
 *   is active while it runs (a write's; every call's with `nearHits`)
 */
export function callSpec(op: string, nearHits: boolean): ParentSpec<CallEvent> {
  return {
    name: `redcache ${op}`,
    endAttributes: callEndAttributes,
    skip: nearHits ? never : isNearHit,
    // A write always does I/O, and with nearHits every read gets a span: no reason to start late.
    active: nearHits || !READS.has(op),
  };
}

/** The operations that may be near hits. */
const READS: ReadonlySet<string> = new Set(['get', 'getMulti', 'peek']);

const never = (): boolean => false;
const isNearHit = (event: CallEvent): boolean => event.outcome === 'nearHit';

function callEndAttributes(event: CallEvent): Attributes {
  const attributes: Attributes = {};
  if (event.outcome !== undefined) attributes[SPAN_ATTRIBUTES.outcome] = event.outcome;
  for (const [kind, count] of Object.entries(event.counts ?? {})) {
    attributes[OUTCOME_COUNT_PREFIX + kind] = count;
  }
  return attributes;
}

/**
 * The span rules of `redcache:refresh`: every run gets a span, with its outcome, at the root
 * of a trace of its own (it runs after the call that triggered it, in a worker's context).
 */
export const refreshSpec: ParentSpec<RefreshEvent> = {
  name: 'redcache refresh',
  endAttributes: (event) =>
    event.outcome === undefined ? {} : { [SPAN_ATTRIBUTES.refreshOutcome]: event.outcome },
  skip: never,
  root: true,
  active: true,
};
