import { type Attributes, type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { CallEvent, RefreshEvent } from '@redcache/core';
import { type ContextStorage, currentContext } from './context-storage.js';
import { OUTCOME_COUNT_PREFIX, SPAN_ATTRIBUTES, type TracedEvent } from './span-attributes.js';
import { SpanFrame, type SpanSettings } from './span-frame.js';
import { subscribeRuns } from './subscribe-runs.js';

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
   * True for a run whose span starts with it (a write, which always goes to Redis; a refresh;
   * every call with `nearHits`). False: the span starts lazily, when asked for (so a near hit
   * nobody asks about makes none).
   */
  readonly eager?: boolean;
}

/**
 * Traces one call channel (`redcache:get`, …) or `redcache:refresh`. Each run gets a
 * {@link SpanFrame} whose parent is the context current when the run started (none, with
 * `spec.root`). A lazy run's frame is itself the context bound to `start` in `storage`: its span
 * starts only when something inside the run asks for it (a child span: loader run, lock wait,
 * Redis command) or when the run settled with an outcome `skip` does not drop; so a skipped near
 * hit costs one frame object, a clock read and a store switch, and makes no span. An eager
 * run's (`spec.eager`) span starts with it, and the context bound is its span's.
 *
 * @param channelName - the TracingChannel's name
 * @param settings - the tracer and options
 * @param storage - the context storage (OTel's, or a private one when OTel's is out of reach)
 * @param spec - the span's name, end attributes, skip rule, root and eager flags
 * @returns what stops tracing the channel
 */
export function traceParentChannel<E extends TracedEvent & { error?: unknown }>(
  channelName: string,
  settings: SpanSettings,
  storage: ContextStorage,
  spec: ParentSpec<E>,
): () => void {
  const frameFor = (event: E) =>
    new SpanFrame(
      settings,
      spec.name,
      event,
      spec.root === true ? ROOT_CONTEXT : currentContext(storage),
      performance.now(),
    );
  // An eager run's context is its span's, not its frame: find the frame by its event.
  const made = spec.eager === true ? new WeakMap<E, SpanFrame>() : undefined;
  const frameOf = (event: E): SpanFrame | undefined => {
    if (made !== undefined) return made.get(event);
    const frame = storage.getStore();
    return frame instanceof SpanFrame && frame.event === event ? frame : undefined;
  };
  const settle = (event: E): void => {
    const frame = frameOf(event);
    if (frame === undefined) return;
    made?.delete(event);
    if (!frame.started && spec.skip(event)) frame.drop();
    else frame.end(spec.endAttributes(event));
  };
  const begin: (event: E) => Context =
    made === undefined
      ? frameFor
      : (event) => {
          const frame = frameFor(event);
          made.set(event, frame);
          return frame.childContext();
        };
  return subscribeRuns(channelName, storage, {
    begin,
    settle,
    fail: (event) => frameOf(event)?.fail(event.error),
  });
}

/**
 * The span rules of a call channel.
 *
 * @param op - the channel's operation (`get`, `getMulti`, …)
 * @param nearHits - whether a call that was a near hit gets a span
 * @returns its name (`redcache <op>`), outcome attributes, near-hit rule, and whether its span
 *   starts with it (a write's; every call's with `nearHits`)
 */
export function callSpec(op: string, nearHits: boolean): ParentSpec<CallEvent> {
  return {
    name: `redcache ${op}`,
    endAttributes: callEndAttributes,
    skip: nearHits ? never : isNearHit,
    // A write always does I/O, and with nearHits every read gets a span: no reason to start late.
    eager: nearHits || !READS.has(op),
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
  eager: true,
};
