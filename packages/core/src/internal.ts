/**
 * `@redcache/core/internal`: helpers shared with the other redcache packages (the fake cache
 * in `@redcache/testing` behaves as the real views do because it uses these). Not public
 * API: they may change in any release.
 */
export { deepFreeze } from './deep-freeze.js';
export { MAX_TIMER_MS } from './max-timer.js';
export { requireFunction } from './require-function.js';
export { toTtlMs } from './ttl.js';
export { untilAborted } from './until-aborted.js';
