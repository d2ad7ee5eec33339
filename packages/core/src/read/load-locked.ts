import type { EngineContext } from '../engine/engine-context.js';
import { messageOf } from '../errors/errors.js';
import { runAsLoaderOf } from '../flight/loader-scope.js';
import type { Flight } from '../flight/single-flight.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import type { CasParts } from '../lock/cas-values.js';
import { casWithRetry } from '../lock/cas-with-retry.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import type { NearParts } from '../near-cache/store-near.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten } from '../value/keep-written.js';
import { failedErrors } from '../value/loader-failures.js';
import { wrapAll } from '../value/wrap-all.js';
import type { LoadRequest } from './load-request.js';

/** What running a loader under our locks needs. */
export type LoadLockedParts = CasParts & NearParts & Pick<EngineContext, 'flights' | 'locks' | 'logger'>;

/**
 * Runs the loader for the keys we locked (the lock manager renews the locks meanwhile), then
 * replaces each lock with its value by CAS. Returns the keys whose lock was lost (to read
 * again); settles the flights of all others. When `signal` aborts — no caller waits any more,
 * or the connection closes — the loader is abandoned at once: its locks are released (its late
 * result is dropped) and its flights rejected. Locks not turned into values are released.
 */
export async function loadLocked(
  ctx: LoadLockedParts,
  req: LoadRequest,
  won: ReadonlyMap<string, HeldLock>,
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSignal,
): Promise<Set<string>> {
  const unreleased = new Map(won);
  const lost = new Set<string>();
  // The caller's order (lock replies come back per slot group, in any order).
  const keys = [...flights.keys()].filter((key) => won.has(key));
  try {
    const started = performance.now();
    let values: Map<string, unknown>;
    try {
      values = await untilAborted(
        runAsLoaderOf(ctx.flights, keys, () => req.load(keys, signal)),
        signal,
      );
    } catch (error) {
      ctx.metrics.loaderDuration(performance.now() - started);
      if (!signal.aborted) ctx.metrics.loaderErrors(keys.length);
      // Released before the callers hear of it: one who retries at once, on any connection, finds the keys free.
      await ctx.locks.release(req.op, takeLocks(unreleased, keys));
      for (const key of keys) flights.get(key)!.reject(error);
      return lost;
    }
    const elapsedMs = performance.now() - started;
    ctx.metrics.loaderDuration(elapsedMs);
    signal.throwIfAborted();
    const { encoded, failed } = encodeValues(req.codec, keys, values);
    // Their callers hear of it once the locks are released, as above; the CAS goes on meanwhile.
    const releasing = ctx.locks
      .release(req.op, takeLocks(unreleased, failed.keys()))
      .then(() => rejectFailed(ctx, req, failed, flights));
    const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
    const envelopes = wrapAll(encoded, deltaNs);
    const originalOf = (key: string) => req.originals.get(key);
    const results = await casWithRetry(ctx, req.op, won, envelopes, req.ttlMs, originalOf);
    for (const [key, result] of results) {
      const payload = encoded.get(key)!;
      const written = { key, original: originalOf(key), payload, raw: envelopes.get(key)!, deltaNs };
      if (result instanceof Error) {
        // Loaded, but not stored: the callers get the value all the same (not kept here).
        ctx.logger.warn('redcache: could not store the loaded value', {
          op: req.op,
          key,
          error: messageOf(result),
        });
        settle(
          flights.get(key)!,
          () => keepWritten(ctx, req.op, req.codec, written, req.ttlMs, false),
          req,
          payload,
        );
        continue;
      }
      ctx.locks.forget(takeLocks(unreleased, [key]));
      if (result === 'lost') lost.add(key);
      else
        settle(
          flights.get(key)!,
          () => keepWritten(ctx, req.op, req.codec, written, req.ttlMs, result.keep),
          req,
          payload,
        );
    }
    await releasing;
    return lost;
  } finally {
    await ctx.locks.release(req.op, unreleased.values());
  }
}

function settle(flight: Flight, decode: () => unknown, req: LoadRequest, payload: string | Uint8Array): void {
  try {
    flight.resolve({ value: decode(), codec: req.codec, payload, hit: false });
  } catch (error) {
    flight.reject(error);
  }
}

/**
 * Fails the flights of keys that produced no value: one error naming every omitted key, an
 * `EncodeError` per value that could not be encoded. Called once their locks are released.
 */
function rejectFailed(
  ctx: LoadLockedParts,
  req: LoadRequest,
  failed: ReadonlyMap<string, unknown>,
  flights: ReadonlyMap<string, Flight>,
): void {
  if (failed.size === 0) return;
  ctx.metrics.loaderErrors(failed.size);
  for (const [key, error] of failedErrors(req.op, failed, (k) => req.originals.get(k))) {
    flights.get(key)!.reject(error);
  }
}
