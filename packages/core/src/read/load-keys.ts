import type { EngineContext } from '../engine/engine-context.js';
import { DecodeError } from '../errors/errors.js';
import { isRedisDown } from '../errors/is-redis-down.js';
import type { Flight, FlightSource } from '../flight/single-flight.js';
import type { Waiter } from '../invalidation/invalidation-hub.js';
import type { Operation } from '../lifecycle/operation.js';
import type { HeldLock } from '../lock/held-lock.js';
import { nearLifeMs, storeNear } from '../near-cache/store-near.js';
import { type Hit, refreshStale } from '../refresh/refresh-stale.js';
import { decodeValue } from '../value/decode-value.js';
import { waitForChange } from '../wait/wait-for-change.js';
import { loadLocked } from './load-locked.js';
import type { ReadRequest } from './load-request.js';
import { type KeyState, oursIn, readKeys } from './read-keys.js';
import { RunLocking } from './read-locking.js';
import { whenRedisDown } from './when-redis-down.js';

/** Locks always carry PX lockTTL; a lock-looking value without expiry would block readers forever. */
const PERSISTENT_LOCK = new Error(
  'the key holds a lock-prefixed value with no expiry: no redcache wrote it and none will release it; delete the key',
);

/**
 * Resolves every flight in `flights`, across processes: read-or-lock (one script per slot
 * group and chunk: a value is a hit; a missing key is locked in the same step), then the keys
 * we locked are loaded in one loader call and written by CAS — a cold miss is two round trips;
 * keys locked elsewhere are waited on at once (push, poll or lockTTL) and read again. Waiters are
 * registered before each read, so no push slips between them. Never throws: every failure
 * settles the flights it concerns; when Redis cannot be reached, `whenRedisDown` settles what
 * is left (fail-safe fallbacks, degraded loads). Runs as `operation`, and ends it: when its
 * signal aborts (no caller left, or close) the run stops — a loader or a wait at once; a read
 * when it lands (its locks released then: it is one bounded round trip, and close waited for it
 * all the same), which spares each read a race with the signal.
 */
export async function loadKeys(
  ctx: EngineContext,
  req: ReadRequest,
  flights: ReadonlyMap<string, Flight>,
  operation: Operation,
): Promise<void> {
  // The operation itself is watched (no AbortSignal is made for it unless a loader asks).
  const signal = operation;
  const pending = new Set(flights.keys());
  /** Keys that waited (or lost their lock): a value read for them is no hit. */
  let waited: Set<string> | undefined;
  // A throttled key is only read: missing, its flight fails as its loader did (no lock).
  const locking = new RunLocking(ctx.locks, ctx.options.lockTTLMs);
  try {
    while (pending.size > 0) {
      signal.throwIfAborted();
      const keys = [...pending];
      // In the order of `keys`.
      const waiters = keys.map((key) => ctx.hub.register(key));
      try {
        locking.throttled = throttledAmong(ctx, req, keys);
        const states = await readKeys(ctx, req.op, keys, locking);
        if (signal.aborted) {
          // Given up while the read was in flight: the locks it took are nobody's.
          operation.defer(ctx.locks.release(req.op, oursIn(states)));
          signal.throwIfAborted();
        }
        const round = takeStates(ctx, req, flights, keys, states, waiters, pending, waited);
        let retryNow = round.retryNow;
        const won = round.won;
        if (won !== undefined) {
          const lost = await loadLocked(ctx, req, won, flights, signal);
          if (lost.size > 0) {
            waited ??= new Set();
            retryNow = true;
          }
          settleLoaded(keys, states, lost, pending, waited);
        }
        if (retryNow || pending.size === 0) continue;
        waited ??= new Set();
        await waitForChange(
          ctx,
          req.op,
          blockedAmong(ctx, req, keys, waiters, pending, waited),
          signal,
          req.view,
        );
      } finally {
        disposeAll(waiters);
      }
    }
  } catch (error) {
    if (signal.aborted || !isRedisDown(error)) {
      rejectPending(flights, pending, error);
      return;
    }
    try {
      await whenRedisDown(ctx, req, pending, flights, error, signal);
    } catch (late) {
      rejectPending(flights, pending, late);
    }
  } finally {
    operation.end();
  }
}

// Loops out of `loadKeys`' frame (a suspended frame holds a register for each of its loops' locals).

/**
 * After a round's load: each key the read locked for us is done, but a lost one (its lock taken
 * by another writer meanwhile), which is read again as one that waited. `won` is emptied by now:
 * the keys we locked are those the read found 'ours'.
 */
function settleLoaded(
  keys: readonly string[],
  states: ReadonlyMap<string, KeyState>,
  lost: ReadonlySet<string>,
  pending: Set<string>,
  waited: Set<string> | undefined,
): void {
  for (const key of keys) if (states.get(key)!.kind === 'ours' && !lost.has(key)) pending.delete(key);
  if (waited !== undefined) for (const key of lost) waited.add(key);
}

function disposeAll(waiters: readonly Waiter[]): void {
  for (const waiter of waiters) waiter.dispose();
}

function rejectPending(
  flights: ReadonlyMap<string, Flight>,
  pending: ReadonlySet<string>,
  error: unknown,
): void {
  for (const key of pending) flights.get(key)!.reject(error);
}

/** What a round's read decided: the locks it won (to load), and whether to read again at once. */
interface Round {
  readonly won: Map<string, HeldLock> | undefined;
  readonly retryNow: boolean;
}

/**
 * Takes a round's read (out of `loadKeys`' frame, which stays suspended while the loader runs):
 * settles each key found with a value (and refreshes the stale ones), or locked with no expiry;
 * a key found locked stays pending. Returns the keys we locked.
 */
function takeStates(
  ctx: EngineContext,
  req: ReadRequest,
  flights: ReadonlyMap<string, Flight>,
  keys: readonly string[],
  states: ReadonlyMap<string, KeyState>,
  waiters: readonly Waiter[],
  pending: Set<string>,
  waited: ReadonlySet<string> | undefined,
): Round {
  let hits: Hit[] | undefined;
  let won: Map<string, HeldLock> | undefined;
  let retryNow = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const state = states.get(key)!;
    if (state.kind === 'value') {
      settleFromRead(ctx, req, flights.get(key)!, key, state, waited?.has(key) === true ? 'waited' : 'redis');
      pending.delete(key);
      if (hits === undefined) hits = [];
      hits.push({
        key,
        remainingMs: nearLifeMs(req.ttlMs, state.pttlMs),
        deltaNs: state.deltaNs,
        raw: state.raw,
      });
    } else if (state.kind === 'ours') {
      won ??= new Map();
      won.set(key, state.lock);
      waiters[i]!.dispose();
    } else if (state.kind === 'missing') {
      // Only a throttled key is read without a lock; one whose throttle ran out meanwhile is read again.
      if (rejectThrottled(ctx, req, flights.get(key)!, key)) pending.delete(key);
      else retryNow = true;
    } else if (state.pttlMs === -1) {
      flights.get(key)!.reject(new DecodeError(req.op, req.originals.get(key), PERSISTENT_LOCK));
      pending.delete(key);
    }
  }
  if (hits !== undefined)
    refreshStale(ctx, hits, req.ttlMs, req.codec, req.originals, req.load, req.op, req.view);
  return { won, retryNow };
}

/** The waiters of the keys still pending after a round (each now counted as waited), counted as contended. */
function blockedAmong(
  ctx: EngineContext,
  req: ReadRequest,
  keys: readonly string[],
  waiters: readonly Waiter[],
  pending: ReadonlySet<string>,
  waited: Set<string>,
): Waiter[] {
  const blocked: Waiter[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!pending.has(key)) continue;
    waited.add(key);
    blocked.push(waiters[i]!);
  }
  ctx.metrics.lockContended(blocked.length, req.view);
  return blocked;
}

/**
 * A key missing in Redis whose loader is throttled (fail-safe served a fallback for a failed
 * loader less than `throttleMs` ago): its flight fails as the loader did, without calling it
 * (callers with a fallback take it). Only when the starting call has fail-safe. True if so.
 */
function rejectThrottled(ctx: EngineContext, req: ReadRequest, flight: Flight, key: string): boolean {
  const throttle = throttleOf(ctx, req, key);
  if (throttle === undefined) return false;
  flight.reject(throttle.error, throttle.cause);
  return true;
}

/** The keys among `keys` whose loader is throttled (undefined for none, or without fail-safe). */
function throttledAmong(
  ctx: EngineContext,
  req: ReadRequest,
  keys: readonly string[],
): Set<string> | undefined {
  if (req.failSafe === false || ctx.nearCache === undefined) return undefined;
  let throttled: Set<string> | undefined;
  for (const key of keys) {
    if (throttleOf(ctx, req, key) === undefined) continue;
    throttled ??= new Set();
    throttled.add(key);
  }
  return throttled;
}

/** The key's loader throttle, when the starting call has fail-safe and one is running. */
function throttleOf(ctx: EngineContext, req: ReadRequest, key: string) {
  if (req.failSafe === false) return undefined;
  return ctx.nearCache?.throttleOf(key, performance.now());
}

function settleFromRead(
  ctx: EngineContext,
  req: ReadRequest,
  flight: Flight,
  key: string,
  state: Extract<KeyState, { kind: 'value' }>,
  source: FlightSource,
): void {
  try {
    const value = decodeValue(req.codec, state.payload, req.op, req.originals.get(key));
    if (state.storable)
      storeNear(
        ctx,
        key,
        { value, codec: req.codec, raw: state.raw, deltaNs: state.deltaNs },
        req.ttlMs,
        state.pttlMs,
        req.staleMs,
      );
    flight.resolve({ value, codec: req.codec, payload: state.payload, source });
  } catch (error) {
    flight.reject(error);
  }
}
