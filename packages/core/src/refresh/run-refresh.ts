import { MAX_TIMER_MS } from '../config/max-timer.js';
import type { RefreshEvent } from '../diagnostics/call-event.js';
import { refreshChannel } from '../diagnostics/tracing-channels.js';
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
 * The run is published on `redcache:refresh` when that channel has a subscriber: a run whose
 * loader failed (or was aborted) publishes `error` with its error, and still resolves.
 */
export function runRefresh(ctx: EngineContext, job: RefreshJob, keys: readonly string[]): Promise<void> {
  if (!refreshChannel.hasSubscribers) return refreshKeys(ctx, job, keys, undefined).then(noop);
  const event: RefreshEvent =
    job.view === undefined
      ? { op: job.op, keys, keyCount: keys.length, outcome: undefined }
      : { op: job.op, view: job.view, keys, keyCount: keys.length, outcome: undefined };
  let failed: LoaderFailure | undefined;
  const traced = async () => {
    try {
      failed = await refreshKeys(ctx, job, keys, event);
    } catch (error) {
      event.outcome = 'error';
      throw error;
    }
    if (failed !== undefined) throw failed.error;
  };
  return refreshChannel.tracePromise(traced, event).catch((error: unknown) => {
    // The loader's failure was published; the run itself went as planned.
    if (failed === undefined || error !== failed.error) throw error;
  });
}

/** A refresh whose loader threw, rejected or was aborted: already logged and counted. */
interface LoaderFailure {
  readonly error: unknown;
}

const noop = () => {};

/** The refresh itself; `event` (when traced) learns how it came out. */
async function refreshKeys(
  ctx: EngineContext,
  job: RefreshJob,
  keys: readonly string[],
  event: RefreshEvent | undefined,
): Promise<LoaderFailure | undefined> {
  const outcome = (kind: 'refreshed' | 'skipped' | 'error') => {
    if (event !== undefined) event.outcome = kind;
  };
  if (!ctx.lifecycle.isOpen) {
    outcome('skipped');
    return undefined;
  }
  const operation = ctx.lifecycle.begin('refresh', keys);
  const timeoutMs = Math.min(ctx.options.refreshTimeoutMs ?? job.ttlMs, MAX_TIMER_MS);
  const timer = setTimeout(() => operation.abort(timedOut(timeoutMs)), timeoutMs);
  timer.unref();
  let locked = new Map<string, HeldLock>();
  try {
    locked = await lockForRefresh(ctx, keys);
    if (locked.size === 0) {
      outcome('skipped');
      return undefined;
    }
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
      outcome('error');
      return { error };
    }
    let values: Map<string, unknown>;
    try {
      values = await untilAborted(pending, operation);
    } catch (error) {
      outcome('error');
      if (error instanceof ClosedError) return { error };
      ctx.logger.warn('redcache: refresh loader failed', {
        op: 'refresh',
        keys: lockedKeys,
        error: messageOf(error),
      });
      for (const key of lockedKeys) ctx.metrics.refreshError(key);
      return { error };
    }
    const { encoded, failed } = encodeValues(job.codec, lockedKeys, values);
    for (const [key, cause] of failed) if (cause !== undefined) ctx.metrics.refreshError(key);
    const deltaNs = ((performance.now() - started) * 1e6) / Math.max(1, values.size);
    const sent = await writeBack(ctx, job, encoded, deltaNs, choicesOf(values));
    outcome(encoded.size === 0 ? 'error' : sent === 0 ? 'skipped' : 'refreshed');
    return undefined;
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
