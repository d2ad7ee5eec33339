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
  | 'touchMulti';

/**
 * Why a read was answered with a fallback (fail-safe: a value past its ttl, kept for
 * `maxStaleMs`): Redis was down (`redisDown(true)`), the loader failed, it ran past the soft
 * or the hard timeout, or the key's loader is throttled after an earlier fallback.
 */
export type FallbackReason = 'redis-down' | 'loader-error' | 'soft-timeout' | 'hard-timeout' | 'throttled';

/**
 * One entry of a fake cache's call log: a read and whether it hit, a loader call and its
 * keys, a write and its ttl, a delete or touch and whether the key was there; a read served
 * from a fallback, and a call refused because Redis was down. Multi-key calls log one entry
 * per distinct key (a refused call: one entry with its keys).
 */
export type FakeCall<K> =
  | { readonly op: 'get' | 'getMulti' | 'peek'; readonly key: K; readonly hit: boolean }
  | {
      readonly op: 'load';
      readonly by: LoadReason;
      readonly keys: readonly K[];
      /** Redis was down and `whenRedisIsDown` is `'load'`: the value was returned, not stored. */
      readonly direct?: true;
    }
  | {
      readonly op: 'set' | 'setMulti' | 'forceSet' | 'forceSetMulti';
      readonly key: K;
      readonly ttlMs: number;
    }
  | { readonly op: 'del' | 'delMulti' | 'touch' | 'touchMulti'; readonly key: K; readonly found: boolean }
  | {
      readonly op: 'fallback';
      readonly by: 'get' | 'getMulti';
      readonly key: K;
      readonly reason: FallbackReason;
    }
  | { readonly op: 'unavailable'; readonly by: FakeOp; readonly keys: readonly K[] };
