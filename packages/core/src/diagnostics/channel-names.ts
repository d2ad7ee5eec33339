/**
 * The `node:diagnostics_channel` TracingChannel on which core publishes each loader run (read path):
 * subscribe with `tracingChannel(LOAD_CHANNEL).subscribe({ start, end, asyncStart, asyncEnd, error })`.
 * Every event carries the same {@link LoadEvent} object.
 */
export const LOAD_CHANNEL = 'redcache:load';

/**
 * The `node:diagnostics_channel` TracingChannel on which core publishes each wait for a lock that
 * another caller or process holds. Every event carries the same {@link LockWaitEvent} object.
 */
export const LOCK_WAIT_CHANNEL = 'redcache:lockWait';

/** The TracingChannel of background refresh-ahead runs; events carry a {@link RefreshEvent}. */
export const REFRESH_CHANNEL = 'redcache:refresh';

/**
 * The TracingChannel of each cache operation, by operation: `redcache:<op>`. Every event carries
 * the call's {@link CallEvent}.
 */
export const CALL_CHANNELS = {
  /** `Cache.get`: one read-through read (the loader runs on a miss). */
  get: 'redcache:get',
  /** `Cache.getMulti`: one batched read-through read. */
  getMulti: 'redcache:getMulti',
  /** `Cache.peek`: one read that never runs a loader. */
  peek: 'redcache:peek',
  /** `Cache.set`: one write through a loader, under a write lock. */
  set: 'redcache:set',
  /** `Cache.setMulti`: one batched `set`. */
  setMulti: 'redcache:setMulti',
  /** `Cache.forceSet`: one unconditional write of a value. */
  forceSet: 'redcache:forceSet',
  /** `Cache.forceSetMulti`: one batched `forceSet`. */
  forceSetMulti: 'redcache:forceSetMulti',
  /** `Cache.del`: one delete. */
  del: 'redcache:del',
  /** `Cache.delMulti`: one batched delete. */
  delMulti: 'redcache:delMulti',
  /** `Cache.touch`: one change of a stored value's ttl. */
  touch: 'redcache:touch',
  /** `Cache.touchMulti`: one batched `touch`. */
  touchMulti: 'redcache:touchMulti',
  /** `Cache.clear`: every key under a view's prefix removed (its event's `keys` are empty; `result` is the count removed). */
  clear: 'redcache:clear',
} as const;

/** An operation that has a call channel. */
export type CallOp = keyof typeof CALL_CHANNELS;
