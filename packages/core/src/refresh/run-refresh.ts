import { MAX_TIMER_MS } from '../config/max-timer.js';
import type { EngineContext } from '../engine/engine-context.js';
import { ClosedError, messageOf } from '../errors/errors.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import { choicesOf } from '../loader/loader-choices.js';
import type { HeldLock } from '../lock/held-lock.js';
import { encodeValues } from '../value/encode-values.js';
import type { RefreshJob } from './refresh-job.js';
import { lockForRefresh } from './refresh-locks.js';
import { writeBack } from './write-back.js';

/**
 * Runs one refresh job, as an operation of the connection: takes the refresh lock of each key
 * (held elsewhere → `refreshSkipped`), calls the loader once for the keys it got, and writes
 * each value back only over the exact value seen when it was triggered. The loader has the
 * refresh timeout (default: the ttl of the call that triggered it, at most 2^31 − 1 ms): at
 * the timeout, or on close, its signal aborts and the job ends at once — a loader that ignores
 * its signal does not hold the worker — and its late result is dropped. The refresh locks are
 * renewed while the job runs and released by CAS on their token when it ends.
 */
export async function runRefresh(
  ctx: EngineContext,
  job: RefreshJob,
  keys: readonly string[],
): Promise<void> {
  if (!ctx.lifecycle.isOpen) return;
  const operation = ctx.lifecycle.begin('refresh', keys);
  const timeoutMs = Math.min(ctx.options.refreshTimeoutMs ?? job.ttlMs, MAX_TIMER_MS);
  const timer = setTimeout(() => operation.abort(timedOut(timeoutMs)), timeoutMs);
  timer.unref();
  let locked = new Map<string, HeldLock>();
  try {
    locked = await lockForRefresh(ctx, keys);
    if (locked.size === 0) return;
    const lockedKeys = [...locked.keys()];
    const started = performance.now();
    let pending: Promise<Map<string, unknown>>;
    try {
      pending = job.load(lockedKeys, operation);
    } catch (error) {
      ctx.logger.error('redcache: refresh loader threw', {
        op: 'refresh',
        keys: lockedKeys,
        error: messageOf(error),
      });
      for (const key of lockedKeys) ctx.metrics.refreshPanicked(key);
      return;
    }
    let values: Map<string, unknown>;
    try {
      values = await untilAborted(pending, operation);
    } catch (error) {
      if (error instanceof ClosedError) return;
      ctx.logger.warn('redcache: refresh loader failed', {
        op: 'refresh',
        keys: lockedKeys,
        error: messageOf(error),
      });
      for (const key of lockedKeys) ctx.metrics.refreshError(key);
      return;
    }
    const { encoded, failed } = encodeValues(job.codec, lockedKeys, values);
    for (const [key, cause] of failed) if (cause !== undefined) ctx.metrics.refreshError(key);
    const deltaNs = ((performance.now() - started) * 1e6) / Math.max(1, values.size);
    await writeBack(ctx, job, encoded, deltaNs, choicesOf(values));
  } finally {
    clearTimeout(timer);
    await ctx.locks.release('refresh', locked.values());
    operation.end();
  }
}

/** The abort reason at the refresh timeout: a `TimeoutError`, as `AbortSignal.timeout` gives. */
function timedOut(timeoutMs: number): DOMException {
  return new DOMException(
    `redcache: refresh: the loader ran past the refresh timeout (${timeoutMs} ms)`,
    'TimeoutError',
  );
}
