/**
 * What a cache call's key came to. `'nearHit'`: served from this process's memory. `'redisHit'`:
 * read from Redis. `'loaded'`: this process ran the loader. `'waited'`: another caller or process
 * loaded it and this one waited for its value. `'fallback'`: fail-safe served a stale fallback
 * instead of an error. `'degraded'`: Redis was down and the loader ran here without storing
 * (`whenRedisIsDown: 'load'`). `'notFound'`: `peek` found nothing. `'written'`: a write landed.
 * `'error'`: the call (or, in a multi-key call, this key) failed.
 */
export type KeyOutcome =
  | 'nearHit'
  | 'redisHit'
  | 'loaded'
  | 'waited'
  | 'fallback'
  | 'degraded'
  | 'notFound'
  | 'written'
  | 'error';

/**
 * A call's outcome: one {@link KeyOutcome} when every key came to the same, else `'mixed'` (see
 * `CallEvent.counts`).
 */
export type CallOutcome = KeyOutcome | 'mixed';

/**
 * The context object of every per-call channel (`redcache:get`, `redcache:getMulti`,
 * `redcache:peek` and the writes, see {@link CALL_CHANNELS}): one object per call, the same one in
 * its `start`, `end`, `asyncStart`, `asyncEnd` and `error` events. `start` is published in the
 * caller's own async context, before any work, so a subscriber's span can take the caller's span
 * as its parent; stores bound to `start` are active while the call runs.
 */
export interface CallEvent {
  /** The operation: `'get'`, `'getMulti'`, `'peek'`, `'set'`, `'setMulti'`, `'forceSet'`, `'forceSetMulti'`, `'del'`, `'delMulti'`, `'touch'`, `'touchMulti'`, `'clear'`. */
  readonly op: string;
  /** The view's name (`ViewOptions.name`), when it was given one. */
  readonly view?: string;
  /**
   * The Redis keys of the call (after the view's key codec; duplicates once), encoded just
   * before `start`. None when the codec refused a key (threw, or gave no string): the call then
   * fails with `InvalidKeyError`.
   */
  readonly keys: readonly string[];
  /** `keys.length`. */
  readonly keyCount: number;
  /**
   * How the call came out; undefined until it settled (set before `asyncStart`; a near hit's
   * is set already at `end`, its promise being settled when it returns). A call that rejected
   * is `'error'`, even a multi-key one whose other keys succeeded (see `counts`); a multi-key
   * call with no keys is `'mixed'` with empty `counts`.
   */
  outcome: CallOutcome | undefined;
  /**
   * Per-key outcomes by kind, in multi-key calls (set with `outcome`), summing to `keyCount`.
   * In a call that rejected, the keys not settled by then count as `'error'`.
   */
  counts?: Partial<Record<KeyOutcome, number>>;
  /** What the call rejected with (set by Node before the `error` event). */
  error?: unknown;
  /** What the call resolved with (set by Node before `asyncStart`). */
  result?: unknown;
}

/**
 * The context object of the `redcache:refresh` channel ({@link REFRESH_CHANNEL}): one background
 * refresh-ahead run (its refresh lock, loader and write-back), published from the worker that runs it.
 */
export interface RefreshEvent {
  /** The operation whose hit triggered the refresh (`'get'` or `'getMulti'`). */
  readonly op: string;
  /** The view's name, when it was given one. */
  readonly view?: string;
  /** The Redis keys refreshed together. */
  readonly keys: readonly string[];
  /** `keys.length`. */
  readonly keyCount: number;
  /**
   * How the run came out; undefined until it settled (set before `asyncStart`). `'refreshed'`:
   * the loader ran and its values were sent back (each written only over the value seen when
   * the key was found stale, so a key changed meanwhile keeps its new value). `'skipped'`:
   * another process or worker held every key's refresh lock, the connection was closing, or the
   * loader chose `skipStore` for every key (nothing sent back). `'error'`: the loader threw,
   * rejected, timed out or was aborted by close (the run then publishes `error` with that
   * error), or none of its values could be encoded (counted by `refreshError`, no `error`
   * event); the refresh itself never fails a caller.
   */
  outcome: 'refreshed' | 'skipped' | 'error' | undefined;
  /** The loader's error (set by Node before the `error` event). */
  error?: unknown;
  /** Always undefined: a refresh resolves with nothing. */
  result?: unknown;
}
