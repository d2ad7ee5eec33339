/** What a fake loader call was for. */
export type LoadReason = 'get' | 'getMulti' | 'set' | 'setMulti';

/** The operations of a `Cache`, as the fake logs them. */
export type FakeOp =
  | 'get'
  | 'getMulti'
  | 'peek'
  | 'set'
  | 'setMulti'
  | 'forceSet'
  | 'forceSetMulti'
  | 'del'
  | 'delMulti'
  | 'touch'
  | 'touchMulti'
  | 'clear';

/**
 * Why a read was answered with a fallback (fail-safe: a value past its ttl, kept for
 * `maxStaleMs`): Redis was down (`redisDown(true)`), the loader failed, it ran past the soft
 * or the hard timeout, or the key's loader is throttled after an earlier fallback.
 */
export type FallbackReason = 'redis-down' | 'loader-error' | 'soft-timeout' | 'hard-timeout' | 'throttled';

/**
 * One entry of a fake cache's call log: a read and whether it hit, a loader call and its
 * keys, a write and its ttl, a delete or touch and whether the key was there; a read served
 * from a fallback, a `clear` and how many it removed, and a call refused because Redis was down. Multi-key calls log one entry
 * per distinct key (a refused call: one entry with its keys).
 */
export type FakeCall<K> =
  | {
      /** A read. */
      readonly op: 'get' | 'getMulti' | 'peek';
      /** The key read, as the caller gave it. */
      readonly key: K;
      /** Whether a value was stored (a miss of `get` is followed by a `load` entry). */
      readonly hit: boolean;
    }
  | {
      /** A loader call. */
      readonly op: 'load';
      /** The operation that called the loader. */
      readonly by: LoadReason;
      /** The keys passed to the loader (one for `get` and `set`). */
      readonly keys: readonly K[];
      /** Redis was down and `whenRedisIsDown` is `'load'`: the value was returned, not stored. */
      readonly direct?: true;
    }
  | {
      /** A write. */
      readonly op: 'set' | 'setMulti' | 'forceSet' | 'forceSetMulti';
      /** The key written, as the caller gave it. */
      readonly key: K;
      /** The ttl it was written with, in milliseconds. */
      readonly ttlMs: number;
    }
  | {
      /** A delete or a touch. */
      readonly op: 'del' | 'delMulti' | 'touch' | 'touchMulti';
      /** The key, as the caller gave it. */
      readonly key: K;
      /** Whether a value was stored under it. */
      readonly found: boolean;
    }
  | {
      /** A `clear`. */
      readonly op: 'clear';
      /** How many live entries under the prefix it removed. */
      readonly removed: number;
    }
  | {
      /** A read answered with a fallback (fail-safe). */
      readonly op: 'fallback';
      /** The read. */
      readonly by: 'get' | 'getMulti';
      /** The key, as the caller gave it. */
      readonly key: K;
      /** Why the fallback was served instead of a fresh value. */
      readonly reason: FallbackReason;
    }
  | {
      /** A call refused because Redis was down (`redisDown(true)`): a write, or a read with no fallback under `whenRedisIsDown: 'fail'`. */
      readonly op: 'unavailable';
      /** The refused call. */
      readonly by: FakeOp;
      /** Its keys, as the caller gave them. */
      readonly keys: readonly K[];
    };
