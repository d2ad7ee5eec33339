/**
 * How a lock wait ended: `'invalidation'` (a push said one of the keys changed), `'flush'` (the
 * server was flushed), `'poll'` (a fallback poll read a key no longer locked), `'timeout'` (lockTTL
 * elapsed, the caller reads again), `'aborted'` (the caller gave up or the connection closed), or
 * `'error'` (a poll's read failed).
 */
export type LockWaitEnd = 'invalidation' | 'flush' | 'poll' | 'timeout' | 'aborted' | 'error';

/**
 * The context object of the `redcache:lockWait` channel ({@link LOCK_WAIT_CHANNEL}): one object per
 * wait for keys locked by another caller or process, the same one in its `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error` events. A wait that ended `'aborted'` or `'error'` publishes
 * `error` (with the abort's reason or the poll's error) before `asyncStart`.
 */
export interface LockWaitEvent {
  /** The cache operation that waited: `'get'`, `'getMulti'`, `'set'`, and so on. */
  readonly op: string;
  /** The waiting view's name (`ViewOptions.name`), when it was given one. */
  readonly view?: string;
  /** The Redis keys waited for (the wait ends when any of them may have changed). */
  readonly keys: readonly string[];
  /** How many keys were waited for (`keys.length`). */
  readonly keyCount: number;
  /** How the wait ended; undefined until it did (set before `asyncStart`). */
  ended: LockWaitEnd | undefined;
  /** The abort's reason or the failed poll's error (set by Node before the `error` event). */
  error?: unknown;
  /** The wake reason the wait resolved with (set by Node before `asyncStart`). */
  result?: unknown;
}
