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

/**
 * What an entry keeps of its `NearCacheValue`: the stored bytes only where a feature needs
 * them (refresh-ahead's write-back compares them; a fail-safe fallback hands over their
 * payload), undefined otherwise. The entry counts their length against `maxBytes` either way.
 */
export interface KeptValue {
  readonly value: unknown;
  readonly codec: object;
  readonly raw: Uint8Array | undefined;
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
export interface NearCacheEntry extends KeptValue {
  /** What the entry counts against `maxBytes`: the stored bytes (kept or not) plus the key's UTF-8 length. */
  readonly bytes: number;
  /** Fresh until then (`performance.now()` ms); a fallback only after. */
  readonly expiresAt: number;
  readonly used: boolean;
}

/** A fallback: an entry whose stored bytes are kept (only those can hand over their payload). */
export interface FallbackEntry extends NearCacheEntry {
  readonly raw: Uint8Array;
}

/** What the near cache reports (the engine's `Metrics`): evictions and expirations, as `NearCache` defines them. */
export interface NearCacheEvents {
  nearEvictions(n: number): void;
  nearExpirations(n: number): void;
}
