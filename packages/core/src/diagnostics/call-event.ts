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
  /** The operation: `'get'`, `'getMulti'`, `'peek'`, `'set'`, `'setMulti'`, `'forceSet'`, `'forceSetMulti'`, `'del'`, `'delMulti'`, `'touch'`, `'touchMulti'`. */
  readonly op: string;
  /** The view's name (`ViewOptions.name`), when it was given one. */
  readonly view?: string;
  /** The Redis keys of the call (after the view's key codec; duplicates once). */
  readonly keys: readonly string[];
  /** `keys.length`. */
  readonly keyCount: number;
  /** How the call came out; undefined until it settled (set before `asyncStart`). */
  outcome: CallOutcome | undefined;
  /** Per-key outcomes by kind, in multi-key calls (set with `outcome`). */
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
  /** `'refreshed'`, `'skipped'` (another process held the refresh lock or the value changed), `'error'`. */
  outcome: 'refreshed' | 'skipped' | 'error' | undefined;
  error?: unknown;
  result?: unknown;
}
