import type { Duration } from './input/duration.js';
import type { FailSafeOptions, LoaderTimeoutOptions } from './options.js';
import type { ClearOptions } from './view/clear-options.js';
/** Per-call options. `signal` aborts this caller's wait only (Go's ctx). */
export interface CallOptions {
  /** Aborts this caller's wait (the call rejects with the signal's reason); the load goes on for others. */
  signal?: AbortSignal;
  /** Overrides the Conn's `failSafe` for this call (`false`: no fallback for this call). */
  failSafe?: FailSafeOptions | false;
  /** Overrides the Conn's `loaderTimeout` for this call. */
  loaderTimeout?: LoaderTimeoutOptions;
}

/**
 * What a loader receives: its `signal`, and two ways to choose what happens to what it returns.
 * Both may be called any time before the loader settles (calls after it settled have no
 * effect), from the context or destructured from it; the last call for a key wins, a call
 * without keys being for every key of the run: `setTtl` after `skipStore` stores after all.
 * See docs/read-through-and-batching.md and docs/caching-absence.md.
 */
export interface LoaderContext<K = unknown> {
  /** Aborts once no caller waits for the value any more, or on close. */
  signal: AbortSignal;
  /**
   * Stores what this run returns with `ttl` instead of the call's ttl (adaptive caching: a value
   * that changes often can live shorter than the call asked), in Redis (its PX) and in the near
   * cache; in `set`/`setMulti` and refresh-ahead's write-back too.
   *
   * @param ttl - the ttl for what this run returns: ms, or a `Duration` such as `'1s'`.
   * @param keys - in a multi-key loader, only these keys' values (default: every key of the run);
   *   keys the run was not asked for are ignored. In a single-key loader, `[key]` is the key.
   * @throws InvalidTTLError for a ttl that is no `Duration` > 0, naming the ttl and the key(s)
   *   (thrown into the loader: unless it catches it, the call rejects with it).
   * @throws TypeError when `keys` is given and is not an array.
   */
  setTtl(ttl: Duration, keys?: readonly K[]): void;
  /**
   * Gives what this run returns to this process's callers without storing it, in Redis or the
   * near cache. The keys' locks are released, so callers waiting in other processes wake, find
   * nothing stored and load for themselves. In `set`/`setMulti` the key is left empty (the value
   * it held is deleted, not put back); in refresh-ahead nothing is written back; while Redis is
   * down the value is not kept as a fail-safe fallback either.
   *
   * @param keys - in a multi-key loader, only these keys' values (default: every key of the run).
   * @throws TypeError when `keys` is given and is not an array.
   */
  skipStore(keys?: readonly K[]): void;
}
/** What `peek` found: the value, or that none is stored. */
export type PeekResult<V> =
  | {
      /** `true`: a value is stored under the key. */
      found: true;
      /** The stored value, decoded by the view's codec. */
      value: V;
    }
  | {
      /** `false`: nothing is stored under the key (or it expired). */
      found: false;
    };

/** Loads the value of one key on a miss. Called by one caller across every process. */
export type Loader<K, V> = (key: K, ctx: LoaderContext<K>) => Promise<V>;
/** Loads the values of the keys this process must load, as a `Map` by key. */
export type MultiLoader<K, V> = (keys: K[], ctx: LoaderContext<K>) => Promise<Map<K, V>>;

/**
 * A typed view of the cache. Views share their connection's near cache, locks and
 * invalidation stream; deriving one does no I/O.
 *
 * A ttl is a `Duration`: a number is milliseconds (`60_000`), a string has a unit (`'1m'`,
 * `'90s'`, `'1.5h'`). A ttl under a second is allowed, so a `60` meant as seconds is a 60 ms
 * cache: write `'60s'`. Arguments are positional, the ttl before the loader
 * (`get(key, ttl, loader)`); a call in another library's order (`get(key, loader, ttl)`,
 * `get({ key, ttl, factory })`) is an `InvalidTTLError` whose message shows the right call.
 */
export interface Cache<K, V> {
  /**
   * The value of `key`: from the near cache, else from Redis, else loaded by `loader` — by
   * exactly one caller across every process; the others wait and get its value.
   *
   * @param key - the key.
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param loader - loads the value on a miss (`(key, { signal }) => Promise<V>`).
   * @param opts - this call's `signal`, `failSafe`, `loaderTimeout`.
   * @returns the value.
   * @throws InvalidTTLError for a ttl that is no `Duration` > 0; `InvalidKeyError`; `TypeError` for a loader that is no function.
   * @throws whatever the loader throws; `LoaderTimeoutError`, `RedisCommandError`, `CommandTimeoutError`,
   *   `RedisUnavailableError`, `DecodeError`, `ClosedError` (with fail-safe, a fallback may be returned instead).
   * @example
   * ```ts
   * const user = await users.get('user:7', '5m', async (key) => db.user(key));
   * ```
   */
  get(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<V>;
  /**
   * The values of `keys` (duplicates read once). One loader call with only the keys this
   * process must load; keys it omits fail with an error naming them.
   *
   * @param keys - the keys (an array; duplicates allowed).
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param loader - loads the missing keys (`(keys, { signal }) => Promise<Map<K, V>>`).
   * @param opts - this call's `signal`, `failSafe`, `loaderTimeout`.
   * @returns the values by key.
   * @throws InvalidTTLError, `InvalidKeyError`, `TypeError` (keys not an array, loader no function);
   *   `MissingLoaderResultError` for keys the loader omitted; as `get` otherwise.
   */
  getMulti(
    keys: readonly K[],
    ttl: Duration,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>>;
  /**
   * The value of `key` if one is stored. Never loads, never locks, never waits.
   *
   * @param key - the key.
   * @param ttl - the ttl the value was stored with (ms, or a `Duration` such as `'5m'`): refresh-ahead reads it.
   * @param opts - this call's `signal`.
   * @returns `{ found: true, value }`, or `{ found: false }`.
   * @throws InvalidTTLError, `InvalidKeyError`, `DecodeError`, `RedisCommandError`, `ClosedError`.
   */
  peek(key: K, ttl: Duration, opts?: CallOptions): Promise<PeekResult<V>>;
  /**
   * Writes `key` through `loader` under a write lock: readers wait and then get the new value.
   * Waits for a read or write in flight. If the loader fails, the prior value is put back with
   * the life it had left. `LockLostError` if a `forceSet` or `del` took the key meanwhile.
   *
   * @param key - the key.
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param loader - gives the new value; to write a value you have, `forceSet` or `async () => value`.
   * @param opts - this call's `signal`.
   * @returns once the value is written.
   * @throws InvalidTTLError, `InvalidKeyError`, `TypeError` (loader no function), `LockLostError`,
   *   `EncodeError`, whatever the loader throws, `RedisCommandError`, `ClosedError`.
   */
  set(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<void>;
  /**
   * `set` for many keys, one loader call.
   *
   * @param keys - the keys.
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param loader - gives the new values by key.
   * @param opts - this call's `signal`.
   * @returns once every value is written.
   * @throws BatchKeyError naming the keys that failed; as `set` otherwise.
   */
  setMulti(keys: readonly K[], ttl: Duration, loader: MultiLoader<K, V>, opts?: CallOptions): Promise<void>;
  /**
   * Writes `value` unconditionally, over any lock: a load in flight retries and gets it.
   *
   * @param key - the key.
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param value - the value.
   * @param opts - this call's `signal`.
   * @returns once the value is written.
   * @throws InvalidTTLError, `InvalidKeyError`, `EncodeError`, `RedisCommandError`, `ClosedError`.
   */
  forceSet(key: K, ttl: Duration, value: V, opts?: CallOptions): Promise<void>;
  /**
   * `forceSet` for many keys.
   *
   * @param values - the values by key (a `Map`).
   * @param ttl - how long the value lives in Redis: a number of milliseconds (`60` is 60 ms, not a
   *   minute), or a `Duration` string such as `'90s'`, `'5m'`, `'1h'`.
   * @param opts - this call's `signal`.
   * @returns once the values are written.
   * @throws BatchKeyError for values that cannot be encoded (the others are written); `TypeError`
   *   when `values` is no `Map`; as `forceSet` otherwise.
   */
  forceSetMulti(values: ReadonlyMap<K, V>, ttl: Duration, opts?: CallOptions): Promise<void>;
  /**
   * Deletes `key` in Redis and in every process's near cache.
   *
   * @param key - the key.
   * @param opts - this call's `signal`.
   * @returns once it is deleted.
   * @throws InvalidKeyError, `RedisCommandError`, `ClosedError`.
   */
  del(key: K, opts?: CallOptions): Promise<void>;
  /**
   * `del` for many keys.
   *
   * @param keys - the keys.
   * @param opts - this call's `signal`.
   * @returns once they are deleted.
   * @throws InvalidKeyError, `TypeError` (keys not an array), `RedisCommandError`, `ClosedError`.
   */
  delMulti(keys: readonly K[], opts?: CallOptions): Promise<void>;
  /**
   * Sets the ttl of a stored value. Never creates a key, never extends a lock, never deletes.
   *
   * @param key - the key.
   * @param ttl - the new ttl: ms, or a `Duration` such as `'10m'` (to remove a key, `del`).
   * @param opts - this call's `signal`.
   * @returns once the ttl is set (or there was no value).
   * @throws InvalidTTLError, `InvalidKeyError`, `RedisCommandError`, `ClosedError`.
   */
  touch(key: K, ttl: Duration, opts?: CallOptions): Promise<void>;
  /**
   * `touch` for many keys.
   *
   * @param keys - the keys.
   * @param ttl - the new ttl: ms, or a `Duration` such as `'10m'`.
   * @param opts - this call's `signal`.
   * @returns once the ttls are set.
   * @throws InvalidTTLError, `InvalidKeyError`, `TypeError` (keys not an array), `RedisCommandError`, `ClosedError`.
   */
  touchMulti(keys: readonly K[], ttl: Duration, opts?: CallOptions): Promise<void>;
  /**
   * Removes every key under the view's `prefix` (`ViewOptions.prefix`) — on a cluster, on every
   * master — with `SCAN` and `UNLINK` in batches; every process's near cache misses them afterwards.
   * Locks under the prefix go too: a loader in flight has its value dropped (`lockLost`) and its
   * callers read again. Not a snapshot: a key written meanwhile may stay. See docs/namespaces.md.
   *
   * @param opts - `signal` stops it between batches; `onProgress` hears of each batch.
   * @returns the number of keys removed.
   * @throws TypeError when the view has no prefix (clearing a whole database is not a view's to do),
   *   or its driver has no `nodes()`; `RedisCommandError`, `RedisUnavailableError`,
   *   `CommandTimeoutError`, `ClosedError` (the Conn closed meanwhile); the signal's reason when it
   *   aborts, or what `onProgress` throws (keys removed so far stay removed).
   */
  clear(opts?: ClearOptions): Promise<number>;
}
