/**
 * The near cache: decoded values in memory, keyed by Redis key, bounded by entries and by
 * bytes, each entry fresh until min(server PTTL, the call's ttl). A hit is one map lookup.
 * Eviction is CLOCK (second chance): a hit sets a bit instead of reordering the map, so hits
 * stay cheap; eviction skips entries used since it last passed. Room is made before a new
 * entry goes in, so the newcomer is never the one evicted.
 *
 * Fail-safe: an entry stored with `staleMs` > 0 outlives its freshness as a *fallback* for at
 * most that long — past its expiry, or from the moment a push or a flush took it out of
 * coherence (`demote`). A fallback is never a hit (`get` skips it); only `fallback` returns
 * it. Fallbacks count against both bounds like any entry, and go first on eviction (a demoted
 * entry loses its second chance).
 */

/** What the engine keeps for a key. */
export interface NearCacheValue {
  readonly value: unknown;
  /** The codec that decoded `value`; a view with another codec does not share the entry. */
  readonly codec: object;
  /** The stored bytes (envelope and all): refresh-ahead writes back only over these. */
  readonly raw: Uint8Array;
  /** The compute time recorded with the value (ns), for XFetch. */
  readonly deltaNs: number;
}

/** The loader of a key failed and a fallback was served: the loader is not called again until `until`. */
export interface Throttle {
  readonly until: number;
  /** What the loader failed with, handed to callers meanwhile (or replaced by a fallback). */
  readonly error: unknown;
  readonly cause: 'loader' | 'timeout';
}

export interface NearCacheEntry extends NearCacheValue {
  readonly bytes: number;
  /** Fresh until then (`performance.now()` ms); a fallback only after. */
  readonly expiresAt: number;
  used: boolean;
}

interface Stored extends NearCacheEntry {
  expiresAt: number;
  /** Kept (as a fallback) until then; equals `expiresAt` without fail-safe. */
  keepUntil: number;
  readonly staleMs: number;
  throttle: Throttle | undefined;
}

export interface NearCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export class NearCache {
  readonly #entries = new Map<string, Stored>();
  readonly #limits: NearCacheLimits;
  #bytes = 0;
  #closed = false;

  constructor(limits: NearCacheLimits) {
    this.#limits = limits;
  }

  /** Entries held, fresh and fallbacks. */
  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The fresh entry for `key` decoded by `codec`, or undefined. A fallback is not returned. */
  get(key: string, codec: object, now: number): NearCacheEntry | undefined {
    const entry = this.#live(key, now);
    if (entry === undefined || entry.codec !== codec || entry.expiresAt <= now) return undefined;
    entry.used = true;
    return entry;
  }

  /**
   * The entry for `key` (fresh or a fallback) that stopped being fresh at most `maxStaleMs`
   * ago, or undefined. For fail-safe only: what a caller gets instead of an error.
   */
  fallback(key: string, codec: object, now: number, maxStaleMs: number): NearCacheEntry | undefined {
    const entry = this.#live(key, now);
    if (entry === undefined || entry.codec !== codec || now - entry.expiresAt > maxStaleMs) return undefined;
    entry.used = true;
    return entry;
  }

  /**
   * Keeps `stored`, fresh until `expiresAt`, then as a fallback for `staleMs` more. Refused
   * once closed: nothing is stored after close.
   */
  set(key: string, stored: NearCacheValue, expiresAt: number, staleMs = 0): void {
    if (this.#closed) return;
    const size = stored.raw.byteLength + key.length;
    this.delete(key);
    if (size > this.#limits.maxBytes) return;
    this.#makeRoom(size);
    const entry: Stored = {
      ...stored,
      bytes: size,
      expiresAt,
      keepUntil: expiresAt + staleMs,
      staleMs,
      used: false,
      throttle: undefined,
    };
    this.#entries.set(key, entry);
    this.#bytes += size;
  }

  /** Keeps `stored` as a fallback only (never fresh), for `staleMs` from `now`. */
  keepFallback(key: string, stored: NearCacheValue, now: number, staleMs: number): void {
    if (staleMs > 0) this.set(key, stored, now, staleMs);
  }

  /**
   * A push for `key`: its entry stops being fresh now and stays, as a fallback, for its
   * `staleMs` at most (none without fail-safe). A throttle on the key ends: someone wrote it,
   * so the next caller asks Redis and, if needed, its loader again.
   */
  demote(key: string, now: number): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#demote(key, entry, now);
  }

  /** A flush or a lost connection: every entry is demoted, as by `demote`. */
  demoteAll(now: number): void {
    for (const [key, entry] of [...this.#entries]) this.#demote(key, entry, now);
  }

  /** The throttle of `key` still running at `now`, if any. */
  throttleOf(key: string, now: number): Throttle | undefined {
    const throttle = this.#live(key, now)?.throttle;
    return throttle !== undefined && throttle.until > now ? throttle : undefined;
  }

  /** Starts a throttle on the entry of `key` (one that runs already is kept as it is). */
  throttle(key: string, now: number, throttle: Throttle): void {
    const entry = this.#live(key, now);
    if (entry !== undefined && this.throttleOf(key, now) === undefined) entry.throttle = throttle;
  }

  /** Removes the entry of `key`, fresh or fallback (a write of ours supersedes it). */
  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Empties the cache for good: a read still in flight at close stores nothing. */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  /** The entry of `key` unless it is past being kept (then it goes). */
  #live(key: string, now: number): Stored | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.keepUntil > now) return entry;
    this.delete(key);
    return undefined;
  }

  #demote(key: string, entry: Stored, now: number): void {
    entry.throttle = undefined;
    if (entry.expiresAt > now) {
      entry.expiresAt = now;
      entry.keepUntil = now + entry.staleMs;
      entry.used = false;
    }
    if (entry.keepUntil <= now) this.delete(key);
  }

  /** Evicts until one more entry of `size` bytes fits. */
  #makeRoom(size: number): void {
    while (this.#entries.size >= this.#limits.maxEntries || this.#bytes + size > this.#limits.maxBytes) {
      const [key, entry] = this.#entries.entries().next().value as [string, Stored];
      this.#entries.delete(key);
      if (entry.used) {
        entry.used = false;
        this.#entries.set(key, entry);
      } else {
        this.#bytes -= entry.bytes;
      }
    }
  }
}
