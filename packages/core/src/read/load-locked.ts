import type { EngineContext } from '../engine/engine-context.js';
import { messageOf } from '../errors/errors.js';
import type { Flight } from '../flight/single-flight.js';
import type { AbortSource } from '../lifecycle/abort-source.js';
import { choicesOf } from '../loader/loader-choices.js';
import { planStore, ttlOfKey } from '../loader/store-plan.js';
import type { CasParts, CasResult } from '../lock/cas-values.js';
import { casWithRetry } from '../lock/cas-with-retry.js';
import { type HeldLock, takeLocks } from '../lock/held-lock.js';
import type { NearParts } from '../near-cache/store-near.js';
import { encodeValues } from '../value/encode-values.js';
import { keepWritten, storedPayload, type Written, writtenOf } from '../value/keep-written.js';
import { wrapAll } from '../value/wrap-all.js';
import type { ReadRequest } from './load-request.js';
import { rejectFailed } from './reject-failed.js';
import { type Loaded, type RunLoaderParts, runLoader } from './run-loader.js';

/** What running a loader under our locks needs. */
export type LoadLockedParts = CasParts &
  NearParts &
  RunLoaderParts &
  Pick<EngineContext, 'flights' | 'locks' | 'logger'>;

const NONE_LOST: ReadonlySet<string> = new Set();

/**
 * Runs the loader for the keys we locked (the lock manager renews the locks meanwhile), then
 * replaces each lock with its value by CAS. Returns the keys whose lock was lost (to read
 * again); settles the flights of all others. When `signal` aborts — no caller waits any more,
 * or the connection closes — the loader is abandoned at once: its locks are released (its late
 * result is dropped) and its flights rejected. Locks not turned into values are released.
 * The loader runs under the read's loader timeouts (`runLoader`): past the soft one it goes on,
 * renewed and written as usual; at the hard one its locks are released at once.
 * A value is written with the ttl its loader chose (`setTtl`), near cache included; one it
 * chose not to store (`skipStore`) goes to this process's callers once its lock is released
 * (so a caller who asks again, here or elsewhere, finds the key free and loads it).
 * `won` is taken over: each lock leaves it as it is released or replaced by its value.
 */
export function loadLocked(
  ctx: LoadLockedParts,
  req: ReadRequest,
  won: Map<string, HeldLock>,
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
): Promise<ReadonlySet<string>> {
  // The caller's order (lock replies come back per slot group, in any order).
  const keys = [...flights.keys()];
  const ordered = won.size === keys.length ? keys : keys.filter((key) => won.has(key));
  // Not an async function: no frame stays suspended while the loader runs; what follows it is chained on it.
  return runLoader(
    ctx,
    req,
    ordered,
    flights,
    signal,
    () => ctx.locks.release(req.op, takeLocks(won, ordered)),
    (loaded) => {
      // Nothing to store when the loader failed; a throw before anything was sent releases what is held.
      let storing: ReadonlySet<string> | Promise<ReadonlySet<string>>;
      try {
        storing =
          loaded === undefined ? NONE_LOST : storeValues(ctx, req, won, flights, signal, ordered, loaded);
      } catch (error) {
        return releaseAndThrow(ctx, req, won, error);
      }
      return releaseLeft(ctx, req, won, storing);
    },
    (error: unknown) => releaseAndThrow(ctx, req, won, error),
  );
}

/**
 * `loadLocked` once its values are stored (`storing`): `unreleased` holds the locks not yet
 * released or written (the CAS looks up only keys still in it); what is left then is released,
 * also when storing failed. The flights were settled in the CAS's own reaction (`storeValues`),
 * so a caller's value waits for none of this.
 */
function releaseLeft(
  ctx: LoadLockedParts,
  req: ReadRequest,
  unreleased: Map<string, HeldLock>,
  storing: ReadonlySet<string> | Promise<ReadonlySet<string>>,
): Promise<ReadonlySet<string>> {
  const released = (lost: ReadonlySet<string>) =>
    unreleased.size === 0 ? lost : ctx.locks.release(req.op, unreleased.values()).then(() => lost);
  if (!(storing instanceof Promise)) return Promise.resolve(released(storing));
  return storing.then(released, (error: unknown) => releaseAndThrow(ctx, req, unreleased, error));
}

/**
 * Encodes the loaded values and writes them by CAS (their flights settled as its replies are
 * taken); returns the keys whose lock was lost. May throw before anything is sent.
 */
function storeValues(
  ctx: LoadLockedParts,
  req: ReadRequest,
  unreleased: Map<string, HeldLock>,
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
  ordered: readonly string[],
  { values, elapsedMs }: Loaded,
): ReadonlySet<string> | Promise<ReadonlySet<string>> {
  signal.throwIfAborted();
  const { encoded, failed } = encodeValues(req.codec, ordered, values);
  // Their callers hear of it once the locks are released; the CAS goes on meanwhile.
  const releasing =
    failed.size === 0
      ? undefined
      : ctx.locks
          .release(req.op, takeLocks(unreleased, failed.keys()))
          .then(() => rejectFailed(ctx, req, failed, flights));
  const deltaNs = (elapsedMs * 1e6) / Math.max(1, values.size);
  const envelopes = wrapAll(encoded, deltaNs);
  const originalOf = (key: string) => req.originals.get(key);
  const plan = planStore(envelopes, req.ttlMs, choicesOf(values));
  const skipping =
    plan.skipped.length === 0
      ? undefined
      : ctx.locks.release(req.op, takeLocks(unreleased, plan.skipped)).then(() => {
          for (const key of plan.skipped) {
            const written = writtenOf(key, originalOf(key), encoded, envelopes, deltaNs);
            settle(ctx, flights.get(key)!, req, written, false, req.ttlMs);
          }
        });
  const settleAll = (results: ReadonlyMap<string, CasResult>) => {
    /** Made for the first lost lock (most runs lose none). */
    let lost: Set<string> | undefined;
    for (const [key, result] of results) {
      const ttlMs = ttlOfKey(plan.ttlMs, key);
      const written = writtenOf(key, originalOf(key), encoded, envelopes, deltaNs);
      if (result instanceof Error) {
        // Loaded, but not stored: the callers get the value all the same (not kept here).
        ctx.logger.warn('redcache: could not store the loaded value', {
          op: req.op,
          key,
          error: messageOf(result),
        });
        settle(ctx, flights.get(key)!, req, written, false, ttlMs);
        continue;
      }
      ctx.locks.forget(takeLocks(unreleased, [key]));
      if (result === 'lost') {
        lost ??= new Set();
        lost.add(key);
      } else settle(ctx, flights.get(key)!, req, written, result.keep, ttlMs);
    }
    const keys = lost ?? NONE_LOST;
    if (releasing === undefined && skipping === undefined) return keys;
    return Promise.all([releasing, skipping]).then(() => keys);
  };
  if (plan.stored.size === 0) return settleAll(NO_RESULTS);
  return casWithRetry(ctx, req.op, unreleased, plan.stored, plan.ttlMs, originalOf, settleAll);
}

const NO_RESULTS: ReadonlyMap<string, CasResult> = new Map();

/** `loadLocked` whose run failed: the locks left are released, then `error` goes on. */
async function releaseAndThrow(
  ctx: LoadLockedParts,
  req: ReadRequest,
  unreleased: Map<string, HeldLock>,
  error: unknown,
): Promise<never> {
  if (unreleased.size > 0) await ctx.locks.release(req.op, unreleased.values());
  throw error;
}

/**
 * Hands a flight the value it wrote (kept in the near cache for `ttlMs` when `keep`; see
 * `keepWritten`).
 */
function settle(
  ctx: LoadLockedParts,
  flight: Flight,
  req: ReadRequest,
  written: Written,
  keep: boolean,
  ttlMs: number,
): void {
  try {
    const value = keepWritten(ctx, req.op, req.codec, written, ttlMs, keep, keep ? req.staleMs : undefined);
    flight.resolve({ value, codec: req.codec, payload: storedPayload(written), source: 'loaded' });
  } catch (error) {
    flight.reject(error);
  }
}
