import type { LockWaitEvent } from '../diagnostics/lock-wait-event.js';
import { lockWaitChannel } from '../diagnostics/tracing-channels.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { Waiter, WakeReason } from '../invalidation/invalidation-hub.js';
import type { AbortSource } from '../lifecycle/abort-source.js';
import { whenAborted } from '../lifecycle/on-abort.js';
import { type ReadParts, readKeys } from '../read/read-keys.js';
import { pollDelayMs } from './poll-delay.js';

/** What a wait needs (its fallback poll is a read). */
export type WaitParts = ReadParts & Pick<EngineContext, 'logger' | 'options'>;

/**
 * Waits until any of the waited keys may have changed: a push for one of them (or a flush),
 * a fallback poll that reads one of them no longer locked, or lockTTL elapsed (then the
 * caller reads again). Rejects with the signal's reason on abort or close, and with the
 * poll's error if a poll read fails. The wait is published on `redcache:lockWait` when that
 * channel has a subscriber; `view` (the waiting view's name) goes with `lockWaitDuration`.
 */
export function waitForChange(
  ctx: WaitParts,
  op: string,
  waiters: readonly Waiter[],
  signal: AbortSource,
  view?: string,
): Promise<WakeReason> {
  const keys = waiters.map((w) => w.key);
  if (!lockWaitChannel.hasSubscribers) return waitUntilChanged(ctx, op, waiters, keys, signal, view);
  const event: LockWaitEvent =
    view === undefined
      ? { op, keys, keyCount: keys.length, ended: undefined }
      : { op, view, keys, keyCount: keys.length, ended: undefined };
  return lockWaitChannel.tracePromise(
    () => waitUntilChanged(ctx, op, waiters, keys, signal, view, event),
    event,
  );
}

/** The wait itself; `event` (when traced) learns how it ended before it settles. */
function waitUntilChanged(
  ctx: WaitParts,
  op: string,
  waiters: readonly Waiter[],
  keys: readonly string[],
  signal: AbortSource,
  view: string | undefined,
  event?: LockWaitEvent,
): Promise<WakeReason> {
  const started = performance.now();
  return new Promise<WakeReason>((resolve, reject) => {
    let done = false;
    let pollTimer: NodeJS.Timeout | undefined;
    let stopWatching: (() => void) | undefined;
    const finish = (reason: WakeReason | undefined, error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(pollTimer);
      clearTimeout(deadline);
      stopWatching?.();
      const waitedMs = performance.now() - started;
      ctx.metrics.lockWaitDuration(waitedMs, view);
      ctx.logger.debug('redcache: wait ended', { op, keys, reason: reason ?? 'aborted', waitedMs });
      if (event !== undefined) event.ended = reason ?? (signal.aborted ? 'aborted' : 'error');
      if (reason === undefined) reject(error);
      else resolve(reason);
    };
    const onAbort = () => finish(undefined, signal.reason);
    const poll = async () => {
      try {
        const states = await readKeys(ctx, op, keys);
        if ([...states.values()].some((s) => s.kind !== 'locked')) finish('poll');
        else schedulePoll();
      } catch (error) {
        finish(undefined, error);
      }
    };
    const schedulePoll = () => {
      if (done) return;
      pollTimer = setTimeout(poll, pollDelayMs(ctx.options.lockTTLMs));
      pollTimer.unref();
    };
    const deadline = setTimeout(() => finish('timeout'), ctx.options.lockTTLMs);
    deadline.unref();
    if (signal.aborted) return onAbort();
    stopWatching = whenAborted(signal, onAbort);
    for (const waiter of waiters) waiter.changed.then(finish);
    schedulePoll();
  });
}
