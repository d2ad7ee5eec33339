import type { KeyCodec } from '../codec.js';
import type { AllMetrics } from '../config/all-metrics.js';
import type { CallEvent } from './call-event.js';
import { callKeys } from './call-keys.js';
import type { CallOp } from './channel-names.js';
import { callChannels } from './tracing-channels.js';

/**
 * Whether a call of `op` is observed: someone subscribes to its channel, or the `Metrics` times
 * calls (`callDuration`). Two property reads: check it first, so that a call nobody observes
 * builds nothing for it and reads no clock.
 *
 * @param metrics - the connection's metrics
 * @param op - the call's operation
 * @returns true when the call must go through {@link observeCall}
 */
export function isObserved(metrics: AllMetrics, op: CallOp): boolean {
  return callChannels[op].hasSubscribers || metrics.callDuration !== undefined;
}

/**
 * Runs an observed call: publishes it on its `redcache:<op>` channel when someone subscribes
 * (`start` in the caller's own async context, before `run` does anything) and times it when the
 * `Metrics` has `callDuration`. `run` is given the call's event and sets its `outcome` (and
 * `counts`) before it settles; a call that rejects comes out `'error'` (in a multi-key call,
 * the keys not counted by then count as `'error'`). `callDuration` is called
 * once, as the call settles (before `asyncStart`).
 *
 * @param metrics - the connection's metrics
 * @param op - the call's operation
 * @param view - the view's name, if it has one
 * @param keys - the call's Redis keys (none when the keys could not be encoded: the call then fails)
 * @param run - the call itself
 * @returns what `run` settles to
 */
export function observeCall<T>(
  metrics: AllMetrics,
  op: CallOp,
  view: string | undefined,
  keys: readonly string[],
  run: (call: CallEvent) => Promise<T>,
): Promise<T> {
  const event: CallEvent =
    view === undefined
      ? { op, keys, keyCount: keys.length, outcome: undefined }
      : { op, view, keys, keyCount: keys.length, outcome: undefined };
  const channel = callChannels[op];
  if (!channel.hasSubscribers) return settleCall(metrics, event, run);
  return channel.tracePromise(settleCall, event, undefined, metrics, event, run);
}

async function settleCall<T>(
  metrics: AllMetrics,
  event: CallEvent,
  run: (call: CallEvent) => Promise<T>,
): Promise<T> {
  const started = metrics.callDuration === undefined ? 0 : performance.now();
  try {
    const result = await run(event);
    // A multi-key call with no keys: nothing came to anything.
    if (event.outcome === undefined) {
      event.counts = {};
      event.outcome = 'mixed';
    }
    return result;
  } catch (error) {
    if (event.op.endsWith('Multi')) countUnsettled(event);
    event.outcome = 'error';
    throw error;
  } finally {
    if (metrics.callDuration !== undefined)
      metrics.callDuration(event.op, event.outcome!, performance.now() - started, event.view);
  }
}

/** A failed multi-key call's keys not counted yet (their flights had not settled): `'error'`. */
function countUnsettled(event: CallEvent): void {
  const counts = event.counts ?? {};
  event.counts = counts;
  let counted = 0;
  for (const n of Object.values(counts)) counted += n;
  if (counted < event.keyCount) counts.error = (counts.error ?? 0) + event.keyCount - counted;
}

/**
 * `run` as an observed call when {@link isObserved} (see {@link observeCall}), else `run(undefined)`:
 * for calls whose every path does I/O anyway (the writes).
 *
 * @param metrics - the connection's metrics
 * @param op - the call's operation
 * @param view - the view's key codec and name
 * @param keys - the caller's keys (encoded for the event only when observed)
 * @param run - the call itself, given its event when observed
 * @returns what `run` settles to
 */
export function maybeObserved<K, T>(
  metrics: AllMetrics,
  op: CallOp,
  view: { readonly keyCodec: KeyCodec<K>; readonly name?: string | undefined },
  keys: Iterable<K>,
  run: (call: CallEvent | undefined) => Promise<T>,
): Promise<T> {
  if (!isObserved(metrics, op)) return run(undefined);
  return observeCall(metrics, op, view.name, callKeys(view.keyCodec, keys), run);
}
