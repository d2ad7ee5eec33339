import type { EngineContext } from '../engine/engine-context.js';
import type { Flight } from '../flight/single-flight.js';
import { casValues } from '../lock/cas-values.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import { forgetLocks, holdLocks, releaseLocks } from '../lock/lock-ops.js';
import { renewLocks } from '../lock/lock-renewal.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten } from '../value/keep-written.js';
import { failedErrors } from '../value/loader-failures.js';
import { wrapAll } from '../value/wrap-all.js';
import type { LoadRequest } from './load-request.js';

/**
 * Runs the loader for the keys we locked, renewing the locks while it runs, then replaces
 * each lock with its value by CAS. Returns the keys whose lock was lost (to read again);
 * settles the flights of all others. Locks not turned into values are released.
 */
export async function loadLocked(
  ctx: EngineContext,
  req: LoadRequest,
  won: ReadonlyMap<string, string>,
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSignal,
): Promise<Set<string>> {
  const locks = new Map<string, HeldLock>([...won].map(([key, token]) => [key, { token }]));
  holdLocks(ctx, locks);
  const unreleased = new Map(locks);
  const lost = new Set<string>();
  const renewal = renewLocks(ctx, locks);
  // The caller's order (lock replies come back per slot group, in any order).
  const keys = [...flights.keys()].filter((key) => won.has(key));
  try {
    const started = performance.now();
    let values: Map<string, unknown>;
    try {
      values = await req.load(keys, signal);
    } catch (error) {
      ctx.metrics.loaderDuration(performance.now() - started);
      ctx.metrics.loaderErrors(keys.length);
      renewal.stop();
      // Released before the callers hear of it: one who retries at once, on any connection, finds the keys free.
      if (!ctx.closeSignal.aborted) await releaseLocks(ctx, takeLocks(unreleased, keys));
      for (const key of keys) flights.get(key)!.reject(error);
      return lost;
    }
    const elapsedMs = performance.now() - started;
    ctx.metrics.loaderDuration(elapsedMs);
    renewal.stop();
    ctx.assertOpen(req.op);
    const { encoded, failed } = encodeValues(req.codec, keys, values);
    // Their callers hear of it once the locks are released, as above; the CAS goes on meanwhile.
    const releasing = releaseLocks(ctx, takeLocks(unreleased, failed.keys())).then(() =>
      rejectFailed(ctx, req, failed, flights),
    );
    const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
    const envelopes = wrapAll(encoded, deltaNs);
    const originalOf = (key: string) => req.originals.get(key);
    const results = await casValues(ctx, req.op, locks, envelopes, req.ttlMs, originalOf);
    for (const [key, result] of results) {
      const flight = flights.get(key)!;
      if (!(result instanceof Error)) unreleased.delete(key);
      if (result === 'lost') {
        lost.add(key);
      } else if (result instanceof Error) {
        flight.reject(result);
      } else {
        const payload = encoded.get(key)!;
        const written = { key, original: originalOf(key), payload, raw: envelopes.get(key)!, deltaNs };
        settle(
          flight,
          () => keepWritten(ctx, req.op, req.codec, written, req.ttlMs, result.keep),
          req,
          payload,
        );
      }
    }
    await releasing;
    return lost;
  } finally {
    renewal.stop();
    if (!ctx.closeSignal.aborted) await releaseLocks(ctx, unreleased);
    forgetLocks(ctx, locks);
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
  ctx: EngineContext,
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
