/**
 * The near cache: decoded values in memory, keyed by Redis key, bounded by entries and by
 * bytes, each entry fresh until min(server PTTL, the call's ttl). A hit is one map lookup (key
 * to slot) and a few typed-array reads; it allocates nothing (`hit`, `valueAt`). Eviction is
 * CLOCK (second chance): a hit sets a bit instead of reordering anything, so hits stay cheap;
 * eviction visits entries oldest first and skips, once, those used since it last passed. Room
 * is made before a new entry goes in, so the newcomer is never the one evicted.
 *
 * Bytes are counted honestly: an entry counts its stored bytes plus its key's UTF-8 length,
 * whether it keeps them or not. It keeps them only where a feature needs them: refresh-ahead
 * (`set`'s `keepBytes`) and fail-safe (`staleMs` > 0; a fallback hands over their payload).
 * Bytes kept that are a small slice of a bigger buffer (a reply's socket chunk) are copied,
 * so the chunk is not kept alive with them.
 *
 * Fail-safe: an entry stored with `staleMs` > 0 outlives its freshness as a *fallback* for at
 * most that long — past its expiry, or from the moment a push or a flush took it out of
 * coherence (`demote`). A fallback is never a hit (`hit`, `get` skip it); only `fallback`
 * returns it, and only for an entry that keeps its stored bytes. Fallbacks count against both bounds like any entry, and go first on eviction (a
 * demoted entry loses its second chance).
 *
 * Counted (`NearCacheEvents`): an *eviction* is an entry removed to make room within
 * `maxEntries` or `maxBytes`, fresh, fallback or past its time alike (the CLOCK hand does not
 * look at ttls); an *expiration* is an entry found past its ttl and past any fail-safe window
 * when the near cache looks at it — a lookup (`hit`, `get`, `fallback`, a throttle), or a push
 * or flush that reaches it — and dropped then. Nothing sweeps: an entry nobody looks at again
 * leaves by eviction. Replaced, deleted, demoted-while-fresh and closed-away entries are neither.
 */
import type {
  FallbackEntry,
  KeptValue,
  NearCacheEntry,
  NearCacheEvents,
  NearCacheValue,
  Throttle,
} from './entry.js';
import { kept, utf8Length } from './kept-bytes.js';
import { nearClockSaw } from './near-clock.js';
import { Slots } from './slots.js';

export type { FallbackEntry, KeptValue, NearCacheEntry, NearCacheValue, Throttle } from './entry.js';

export interface NearCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

const unobserved: NearCacheEvents = { nearEvictions: () => {}, nearExpirations: () => {} };

export class NearCache {
  readonly #index = new Map<string, number>();
  readonly #slots: Slots;
  readonly #limits: NearCacheLimits;
  readonly #events: NearCacheEvents;
  #bytes = 0;
  #closed = false;
  #visit = 0;

  constructor(limits: NearCacheLimits, events: NearCacheEvents = unobserved) {
    this.#limits = limits;
    this.#events = events;
    this.#slots = new Slots(limits.maxEntries);
  }

  /** Entries held, fresh and fallbacks. */
  get size(): number {
    return this.#index.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The hit path: the slot of the fresh entry for `key` decoded by `codec` (marked used), or
   * -1. A fallback is no hit. Read the slot at once (`valueAt`, …): the next call may reuse it.
   */
  hit(key: string, codec: object, now: number): number {
    const slot = this.#index.get(key);
    if (slot === undefined) return -1;
    const slots = this.#slots;
    if (slots.expiresAt[slot]! <= now) {
      // Past fresh (keepUntil is never before expiresAt): gone once past being kept as a fallback too.
      if (slots.keepUntil[slot]! <= now) this.#expire(key, slot);
      return -1;
    }
    if (slots.codecs[slot] !== codec) return -1;
    slots.used[slot] = 1;
    return slot;
  }

  /**
   * A new multi-key lookup: `visitOnce` tells, per slot, whether this lookup has been there
   * before (two keys of the call that share a Redis key), with no set of keys built.
   */
  newVisit(): number {
    if (this.#visit === 0xffff_ffff) {
      this.#slots.visits.fill(0);
      this.#visit = 0;
    }
    return ++this.#visit;
  }

  /** True the first time lookup `visit` (from `newVisit`) comes to `slot`, false after. */
  visitOnce(slot: number, visit: number): boolean {
    const visits = this.#slots.visits;
    if (visits[slot] === visit) return false;
    visits[slot] = visit;
    return true;
  }

  /** The decoded value in `slot` (from `hit`). */
  valueAt(slot: number): unknown {
    return this.#slots.values[slot];
  }

  /** What `slot` (from `hit`) keeps (built on request): value, codec, stored bytes if kept, compute time. */
  storedAt(slot: number): KeptValue {
    const slots = this.#slots;
    return {
      value: slots.values[slot],
      codec: slots.codecs[slot]!,
      raw: slots.rawAt(slot),
      deltaNs: slots.deltaNs[slot]!,
    };
  }

  /** When the entry in `slot` (from `hit`) stops being fresh. */
  expiresAtOf(slot: number): number {
    return this.#slots.expiresAt[slot]!;
  }

  /** The fresh entry for `key` decoded by `codec`, or undefined. A fallback is not returned. */
  get(key: string, codec: object, now: number): NearCacheEntry | undefined {
    const slot = this.hit(key, codec, now);
    return slot < 0 ? undefined : this.#entryAt(slot);
  }

  /**
   * The entry for `key` (fresh or a fallback) that stopped being fresh at most `maxStaleMs`
   * ago, or undefined. For fail-safe only: what a caller gets instead of an error. An entry
   * that keeps no stored bytes (stored without fail-safe) is none.
   */
  fallback(key: string, codec: object, now: number, maxStaleMs: number): FallbackEntry | undefined {
    const slot = this.#live(key, now);
    const slots = this.#slots;
    if (slot < 0 || now - slots.expiresAt[slot]! > maxStaleMs) return undefined;
    if (slots.codecs[slot] !== codec || slots.rawAt(slot) === undefined) return undefined;
    slots.used[slot] = 1;
    return this.#entryAt(slot) as FallbackEntry;
  }

  /**
   * Keeps `stored`, fresh until `expiresAt`, then as a fallback for `staleMs` more; its
   * stored bytes only with `keepBytes` (refresh-ahead is on) or `staleMs` > 0. Refused once
   * closed: nothing is stored after close.
   */
  set(key: string, stored: NearCacheValue, expiresAt: number, staleMs = 0, keepBytes = false): void {
    if (this.#closed) return;
    const size = stored.raw.byteLength + utf8Length(key);
    this.delete(key);
    if (size > this.#limits.maxBytes) return;
    this.#makeRoom(size);
    const slots = this.#slots;
    const slot = slots.take(key, stored.value, stored.codec, kept(stored.raw, keepBytes || staleMs > 0));
    slots.deltaNs[slot] = stored.deltaNs;
    slots.bytes[slot] = size;
    slots.expiresAt[slot] = expiresAt;
    slots.keepUntil[slot] = expiresAt + staleMs;
    slots.staleMs[slot] = staleMs;
    this.#index.set(key, slot);
    this.#bytes += size;
  }

  /** Keeps `stored` as a fallback only (never fresh), for `staleMs` from `now`. */
  keepFallback(key: string, stored: NearCacheValue, now: number, staleMs: number): void {
    nearClockSaw(now);
    if (staleMs > 0) this.set(key, stored, now, staleMs);
  }

  /**
   * A push for `key`: its entry stops being fresh now and stays, as a fallback, for its
   * `staleMs` at most (none without fail-safe). A throttle on the key ends: someone wrote it,
   * so the next caller asks Redis and, if needed, its loader again. Without `now`, the clock
   * is read only when the key has an entry (many pushes find none: a miss's own value write
   * pushes before its value is stored).
   */
  demote(key: string, now?: number): void {
    const slot = this.#index.get(key);
    if (slot !== undefined) this.#demote(key, slot, now ?? performance.now());
  }

  /** A flush or a lost connection: every entry is demoted, as by `demote`. */
  demoteAll(now: number): void {
    for (const [key, slot] of [...this.#index]) this.#demote(key, slot, now);
  }

  /** The throttle of `key` still running at `now`, if any. */
  throttleOf(key: string, now: number): Throttle | undefined {
    const slot = this.#live(key, now);
    const throttle = slot < 0 ? undefined : this.#slots.throttleAt(slot);
    return throttle !== undefined && throttle.until > now ? throttle : undefined;
  }

  /** Starts a throttle on the entry of `key` (one that runs already is kept as it is). */
  throttle(key: string, now: number, throttle: Throttle): void {
    const slot = this.#live(key, now);
    if (slot >= 0 && this.throttleOf(key, now) === undefined) this.#slots.setThrottle(slot, throttle);
  }

  /** Removes the entry of `key`, fresh or fallback (a write of ours supersedes it). */
  delete(key: string): void {
    const slot = this.#index.get(key);
    if (slot !== undefined) this.#remove(key, slot);
  }

  clear(): void {
    this.#index.clear();
    this.#slots.clear();
    this.#bytes = 0;
  }

  /** Empties the cache for good: a read still in flight at close stores nothing. */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  /** The slot of `key` unless it is past being kept (then it goes), or -1. */
  #live(key: string, now: number): number {
    const slot = this.#index.get(key);
    if (slot === undefined) return -1;
    if (this.#slots.keepUntil[slot]! > now) return slot;
    this.#expire(key, slot);
    return -1;
  }

  #entryAt(slot: number): NearCacheEntry {
    const slots = this.#slots;
    return {
      ...this.storedAt(slot),
      bytes: slots.bytes[slot]!,
      expiresAt: slots.expiresAt[slot]!,
      used: slots.used[slot] === 1,
    };
  }

  /** Drops an entry found past its ttl and fail-safe window, and counts it. */
  #expire(key: string, slot: number): void {
    this.#remove(key, slot);
    this.#events.nearExpirations(1);
  }

  #remove(key: string, slot: number): void {
    this.#index.delete(key);
    this.#bytes -= this.#slots.bytes[slot]!;
    this.#slots.release(slot);
  }

  #demote(key: string, slot: number, now: number): void {
    nearClockSaw(now);
    const slots = this.#slots;
    const expired = slots.keepUntil[slot]! <= now;
    slots.setThrottle(slot, undefined);
    if (slots.expiresAt[slot]! > now) {
      slots.expiresAt[slot] = now;
      slots.keepUntil[slot] = now + slots.staleMs[slot]!;
      slots.used[slot] = 0;
    }
    if (expired) this.#expire(key, slot);
    else if (slots.keepUntil[slot]! <= now) this.#remove(key, slot);
  }

  /** Evicts, oldest first with a second chance for the used, until one more entry of `size` bytes fits. */
  #makeRoom(size: number): void {
    const slots = this.#slots;
    let evicted = 0;
    while (this.#index.size >= this.#limits.maxEntries || this.#bytes + size > this.#limits.maxBytes) {
      const slot = slots.head;
      if (slots.used[slot] === 1) {
        slots.used[slot] = 0;
        slots.toBack(slot);
      } else {
        this.#remove(slots.keys[slot]!, slot);
        evicted++;
      }
    }
    if (evicted > 0) this.#events.nearEvictions(evicted);
  }
}
