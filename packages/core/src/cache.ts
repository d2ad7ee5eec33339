import type { Duration } from './input/duration.js';
import type { FailSafeOptions, LoaderTimeoutOptions } from './options.js';
/** Per-call options. `signal` aborts this caller's wait only (Go's ctx). */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the Conn's `failSafe` for this call (`false`: no fallback for this call). */
  failSafe?: FailSafeOptions | false;
  /** Overrides the Conn's `loaderTimeout` for this call. */
  loaderTimeout?: LoaderTimeoutOptions;
}

/** What a loader receives. `signal` aborts once no caller waits for the value any more, or on close. */
export interface LoaderContext {
  signal: AbortSignal;
}

export type PeekResult<V> = { found: true; value: V } | { found: false };

export type Loader<K, V> = (key: K, ctx: LoaderContext) => Promise<V>;
export type MultiLoader<K, V> = (keys: K[], ctx: LoaderContext) => Promise<Map<K, V>>;

/**
 * A typed view of the cache. Views share their connection's near cache, locks and
 * invalidation stream; deriving one does no I/O. TTLs are milliseconds.
 */
export interface Cache<K, V> {
  /**
   * The value of `key`: from the near cache, else from Redis, else loaded by `loader` — by
   * exactly one caller across every process; the others wait and get its value.
   */
  get(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<V>;
  /**
   * The values of `keys` (duplicates read once). One loader call with only the keys this
   * process must load; keys it omits fail with an error naming them.
   */
  getMulti(
    keys: readonly K[],
    ttl: Duration,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>>;
  /** The value of `key` if one is stored. Never loads, never locks, never waits. */
  peek(key: K, ttl: Duration, opts?: CallOptions): Promise<PeekResult<V>>;
  /**
   * Writes `key` through `loader` under a write lock: readers wait and then get the new value.
   * Waits for a read or write in flight. If the loader fails, the prior value is put back with
   * the life it had left. `LockLostError` if a `forceSet` or `del` took the key meanwhile.
   */
  set(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<void>;
  /** `set` for many keys, one loader call. Per-key failures: `BatchKeyError`. */
  setMulti(keys: readonly K[], ttl: Duration, loader: MultiLoader<K, V>, opts?: CallOptions): Promise<void>;
  /** Writes `value` unconditionally, over any lock: a load in flight retries and gets it. */
  forceSet(key: K, ttl: Duration, value: V, opts?: CallOptions): Promise<void>;
  /** `forceSet` for many keys. Values that cannot be encoded fail alone: `BatchKeyError`. */
  forceSetMulti(values: ReadonlyMap<K, V>, ttl: Duration, opts?: CallOptions): Promise<void>;
  /** Deletes `key` in Redis and in every process's near cache. */
  del(key: K, opts?: CallOptions): Promise<void>;
  delMulti(keys: readonly K[], opts?: CallOptions): Promise<void>;
  /** Sets the ttl of a stored value. Never creates a key, never extends a lock, never deletes. */
  touch(key: K, ttl: Duration, opts?: CallOptions): Promise<void>;
  touchMulti(keys: readonly K[], ttl: Duration, opts?: CallOptions): Promise<void>;
}
