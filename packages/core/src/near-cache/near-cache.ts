/**
 * The near cache: decoded values in memory, keyed by Redis key, bounded by entries and by
 * bytes, each entry expiring at min(server PTTL, the call's ttl). A hit is one map lookup.
 * Eviction is CLOCK (second chance): a hit sets a bit instead of reordering the map, so hits
 * stay cheap; eviction skips entries used since it last passed. Room is made before a new
 * entry goes in, so the newcomer is never the one evicted.
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

export interface NearCacheEntry extends NearCacheValue {
  readonly bytes: number;
  readonly expiresAt: number;
  used: boolean;
}

export interface NearCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export class NearCache {
  readonly #entries = new Map<string, NearCacheEntry>();
  readonly #limits: NearCacheLimits;
  #bytes = 0;
  #closed = false;

  constructor(limits: NearCacheLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The live entry for `key` decoded by `codec`, or undefined. */
  get(key: string, codec: object, now: number): NearCacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.codec !== codec) return undefined;
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    entry.used = true;
    return entry;
  }

  /** Keeps `stored` until `expiresAt`. Refused once closed: nothing is stored after close. */
  set(key: string, stored: NearCacheValue, expiresAt: number): void {
    if (this.#closed) return;
    const size = stored.raw.byteLength + key.length;
    if (size > this.#limits.maxBytes) {
      this.delete(key);
      return;
    }
    this.delete(key);
    this.#makeRoom(size);
    this.#entries.set(key, { ...stored, bytes: size, expiresAt, used: false });
    this.#bytes += size;
  }

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

  /** Evicts until one more entry of `size` bytes fits. */
  #makeRoom(size: number): void {
    while (this.#entries.size >= this.#limits.maxEntries || this.#bytes + size > this.#limits.maxBytes) {
      const [key, entry] = this.#entries.entries().next().value as [string, NearCacheEntry];
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
