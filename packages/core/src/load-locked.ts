import { decodeValue, payloadBytes } from './decode-value.js';
import type { EngineContext } from './engine-context.js';
import { wrapEnvelope } from './envelope.js';
import { EncodeError, MissingLoaderResultError, RedisCommandError } from './errors.js';
import type { HeldLock } from './held-lock.js';
import type { LoadRequest } from './load-request.js';
import { forgetLocks, holdLocks, releaseLocks } from './lock-ops.js';
import { renewLocks } from './lock-renewal.js';
import { setIfLockedScript } from './scripts/set-if-locked.js';
import type { Flight } from './single-flight.js';
import { storeNear } from './store-near.js';

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
  const renewal = renewLocks(ctx, won);
  const keys = [...won.keys()];
  try {
    const started = performance.now();
    let values: Map<string, unknown>;
    try {
      values = await req.load(keys, signal);
    } catch (error) {
      ctx.metrics.loaderDuration(performance.now() - started);
      ctx.metrics.loaderErrors(keys.length);
      for (const key of keys) flights.get(key)!.reject(error);
      return lost;
    }
    const elapsedMs = performance.now() - started;
    ctx.metrics.loaderDuration(elapsedMs);
    renewal.stop();
    ctx.assertOpen(req.op);
    const { encoded, failed } = encodeLoaded(req, keys, values);
    const releasing = releaseLocks(ctx, take(unreleased, failed.keys()));
    rejectFailed(ctx, req, failed, flights);
    const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
    const epoch = ctx.hub.epoch;
    await Promise.all(
      ctx.driver.groupBySlot(encoded.keys()).map(async (group) => {
        let replies: Awaited<ReturnType<typeof ctx.driver.evalScripts>>;
        try {
          replies = await ctx.driver.evalScripts(
            'set',
            group.map((key) => ({
              script: setIfLockedScript,
              keys: [key],
              args: [won.get(key)!, wrapEnvelope(encoded.get(key)!, deltaNs), String(req.ttlMs)],
            })),
          );
        } catch (error) {
          for (const key of group) flights.get(key)!.reject(error);
          return;
        }
        group.forEach((key, i) => {
          const reply = replies[i];
          if (reply === 1) {
            unreleased.delete(key);
            settleLoaded(ctx, req, flights.get(key)!, key, encoded.get(key)!, epoch);
          } else if (reply === 0 || reply === null) {
            unreleased.delete(key);
            lost.add(key);
            ctx.metrics.lockLost(key);
          } else {
            ctx.metrics.redisError('set');
            const cause =
              reply instanceof Error ? reply : new Error(`unexpected CAS reply ${JSON.stringify(reply)}`);
            flights.get(key)!.reject(new RedisCommandError(req.op, req.originals.get(key), cause));
          }
        });
      }),
    );
    await releasing;
    return lost;
  } finally {
    renewal.stop();
    if (!ctx.closeSignal.aborted) await releaseLocks(ctx, unreleased);
    forgetLocks(ctx, locks);
  }
}

interface Encoded {
  readonly encoded: Map<string, string | Uint8Array>;
  /** Keys the loader omitted (`undefined`) or whose value could not be encoded (the cause). */
  readonly failed: Map<string, unknown>;
}

/** Encodes the loader's values, setting aside keys it omitted and values that cannot be encoded. */
function encodeLoaded(
  req: LoadRequest,
  keys: readonly string[],
  values: ReadonlyMap<string, unknown>,
): Encoded {
  const encoded = new Map<string, string | Uint8Array>();
  const failed = new Map<string, unknown>();
  for (const key of keys) {
    if (!values.has(key)) {
      failed.set(key, undefined);
      continue;
    }
    try {
      const payload = req.codec.encode(values.get(key));
      if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
        throw new TypeError(`codec.encode returned ${typeof payload}, not a string or Uint8Array`);
      }
      encoded.set(key, payload);
    } catch (error) {
      failed.set(key, error);
    }
  }
  return { encoded, failed };
}

/**
 * Fails the flights of keys that produced no value: one error naming every omitted key, an
 * `EncodeError` per value that could not be encoded. Called after their locks are released
 * (sent), so a caller that retries at once finds the key free.
 */
function rejectFailed(
  ctx: EngineContext,
  req: LoadRequest,
  failed: ReadonlyMap<string, unknown>,
  flights: ReadonlyMap<string, Flight>,
): void {
  if (failed.size === 0) return;
  ctx.metrics.loaderErrors(failed.size);
  const omitted = [...failed].filter(([, cause]) => cause === undefined).map(([key]) => key);
  const missing = new MissingLoaderResultError(
    req.op,
    omitted.map((key) => req.originals.get(key)),
  );
  for (const [key, cause] of failed) {
    flights
      .get(key)!
      .reject(cause === undefined ? missing : new EncodeError(req.op, req.originals.get(key), cause));
  }
}

/** Removes `keys` from `locks` and returns them as a map of their own. */
function take(locks: Map<string, HeldLock>, keys: Iterable<string>): Map<string, HeldLock> {
  const taken = new Map<string, HeldLock>();
  for (const key of keys) {
    const lock = locks.get(key);
    if (lock === undefined) continue;
    taken.set(key, lock);
    locks.delete(key);
  }
  return taken;
}

function settleLoaded(
  ctx: EngineContext,
  req: LoadRequest,
  flight: Flight,
  key: string,
  payload: string | Uint8Array,
  epoch: number,
): void {
  try {
    const value = decodeValue(req.codec, payload, req.op, req.originals.get(key));
    if (ctx.hub.epoch === epoch)
      storeNear(ctx, key, value, req.codec, payloadBytes(payload), req.ttlMs, req.ttlMs);
    flight.resolve({ value, codec: req.codec, payload, hit: false });
  } catch (error) {
    flight.reject(error);
  }
}
