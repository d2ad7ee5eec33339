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
  get: 'redcache:get',
  getMulti: 'redcache:getMulti',
  peek: 'redcache:peek',
  set: 'redcache:set',
  setMulti: 'redcache:setMulti',
  forceSet: 'redcache:forceSet',
  forceSetMulti: 'redcache:forceSetMulti',
  del: 'redcache:del',
  delMulti: 'redcache:delMulti',
  touch: 'redcache:touch',
  touchMulti: 'redcache:touchMulti',
} as const;

/** An operation that has a call channel. */
export type CallOp = keyof typeof CALL_CHANNELS;
