/** Per-call options. `signal` aborts this caller's wait only (Go's ctx). */
export interface CallOptions {
  signal?: AbortSignal;
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
  get(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<V>;
  /**
   * The values of `keys` (duplicates read once). One loader call with only the keys this
   * process must load; keys it omits fail with an error naming them.
   */
  getMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>>;
  /** The value of `key` if one is stored. Never loads, never locks, never waits. */
  peek(key: K, ttlMs: number, opts?: CallOptions): Promise<PeekResult<V>>;
}
