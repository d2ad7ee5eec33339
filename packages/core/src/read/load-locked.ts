import type { EngineContext } from '../engine/engine-context.js';
import { messageOf } from '../errors/errors.js';
import type { Flight } from '../flight/single-flight.js';
import type { AbortSource } from '../lifecycle/abort-source.js';
import type { CasParts } from '../lock/cas-values.js';
import { casWithRetry } from '../lock/cas-with-retry.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import type { NearParts } from '../near-cache/store-near.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten } from '../value/keep-written.js';
import { wrapAll } from '../value/wrap-all.js';
import type { LoadRequest, ReadRequest } from './load-request.js';
import { rejectFailed } from './reject-failed.js';
import { type RunLoaderParts, runLoader } from './run-loader.js';

/** What running a loader under our locks needs. */
export type LoadLockedParts = CasParts &
  NearParts &
  RunLoaderParts &
  Pick<EngineContext, 'flights' | 'locks' | 'logger'>;

/**
 * Runs the loader for the keys we locked (the lock manager renews the locks meanwhile), then
 * replaces each lock with its value by CAS. Returns the keys whose lock was lost (to read
 * again); settles the flights of all others. When `signal` aborts — no caller waits any more,
 * or the connection closes — the loader is abandoned at once: its locks are released (its late
 * result is dropped) and its flights rejected. Locks not turned into values are released.
 * The loader runs under the read's loader timeouts (`runLoader`): past the soft one it goes on,
 * renewed and written as usual; at the hard one its locks are released at once.
 */
export async function loadLocked(
  ctx: LoadLockedParts,
  req: ReadRequest,
  won: ReadonlyMap<string, HeldLock>,
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
): Promise<Set<string>> {
  const unreleased = new Map(won);
  const lost = new Set<string>();
  // The caller's order (lock replies come back per slot group, in any order).
  const keys = [...flights.keys()].filter((key) => won.has(key));
  try {
    const loaded = await runLoader(ctx, req, keys, flights, signal, () =>
      ctx.locks.release(req.op, takeLocks(unreleased, keys)),
    );
    if (loaded === undefined) return lost;
    const { values, elapsedMs } = loaded;
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
          () => keepWritten(ctx, req.op, req.codec, written, req.ttlMs, result.keep, req.staleMs),
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
