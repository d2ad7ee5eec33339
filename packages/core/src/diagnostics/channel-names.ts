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
