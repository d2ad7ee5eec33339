/**
 * `@redcache/core/internal`: helpers shared with the other redcache packages (the fake cache
 * in `@redcache/testing` behaves as the real views do because it uses these). Not public
 * API: they may change in any release.
 */

export { MAX_TIMER_MS } from './config/max-timer.js';
export { resolveOptions } from './config/resolve-options.js';
export { encodeKey } from './input/encode-key.js';
export { encodeKeys, encodeMapKeys } from './input/encode-keys.js';
export { requireFunction } from './input/require-function.js';
export { MAX_TTL_MS, toTtlMs } from './input/ttl.js';
export { untilAborted } from './lifecycle/until-aborted.js';
export { deepFreeze } from './value/deep-freeze.js';
