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

/** A look at one entry (built on request: the hit path reads slots, not entries). */
export interface NearCacheEntry extends NearCacheValue {
  /** What the entry counts against `maxBytes`: the stored bytes plus the key's UTF-8 length. */
  readonly bytes: number;
  /** Fresh until then (`performance.now()` ms); a fallback only after. */
  readonly expiresAt: number;
  readonly used: boolean;
}
