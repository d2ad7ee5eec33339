/**
 * How a loader run ended: `'loaded'` (it returned values), `'error'` (it threw or rejected),
 * `'timeout'` (the hard loader timeout aborted it), `'aborted'` (no caller was left, or the
 * connection closed).
 */
export type LoadOutcome = 'loaded' | 'error' | 'timeout' | 'aborted';

/**
 * The context object of the `redcache:load` channel ({@link LOAD_CHANNEL}): one object per loader
 * run, the same one in its `start`, `end`, `asyncStart`, `asyncEnd` and `error` events. `start` and
 * `end` bracket the synchronous start of the loader (it runs inside `start`'s bound stores, so
 * an `AsyncLocalStorage` bound there is the loader's context); `asyncStart` and `asyncEnd` come
 * when it settled.
 */
export interface LoadEvent {
  /** The cache operation that ran the loader: `'get'` or `'getMulti'`. */
  readonly op: string;
  /** The view's name (`ViewOptions.name`), when it was given one. */
  readonly view?: string;
  /** The Redis keys the loader was called for (after the view's key codec). */
  readonly keys: readonly string[];
  /** How many keys the loader was called for (`keys.length`). */
  readonly keyCount: number;
  /** How the run ended; undefined until it settled (set before `asyncStart`). */
  outcome: LoadOutcome | undefined;
  /** What the loader's run rejected with (set by Node before the `error` event). */
  error?: unknown;
  /** The loaded values by Redis key (set by Node before `asyncStart` when the run succeeded). */
  result?: unknown;
}
