/**
 * `@redcache/core/internal`: helpers shared with the other redcache packages (the fake cache
 * in `@redcache/testing` behaves as the real views do because it uses these; the drivers share
 * the kit in `driver-kit/`: listeners, health events, the liveness check, the connect timeout,
 * how a connect failure is classified, and a cluster's redirects: MOVED, ASK, TRYAGAIN). Not
 * public API: they may change in any release.
 */

export { assertClearable } from './clear/clear-prefix.js';
export { MAX_TIMER_MS } from './config/max-timer.js';
export { resolveOptions } from './config/resolve-options.js';
export { afterMicrotasks } from './driver/after-microtasks.js';
export { afterPendingIo } from './driver/after-pending-io.js';
export {
  type ConnectFailureDetail,
  type ConnectFailureWording,
  classifyFailure,
  connectErrorOf,
} from './driver-kit/classify-failure.js';
export { type Redirect, redirectAddress, redirectOf } from './driver-kit/cluster-redirect.js';
export { connectTimeoutOf, DEFAULT_CONNECT_TIMEOUT_MS } from './driver-kit/connect-timeout.js';
export { EventListeners } from './driver-kit/event-listeners.js';
export {
  CONNECTION_LOST,
  CONNECTION_READY,
  HealthListeners,
  LIVENESS_FAILED,
} from './driver-kit/health-listeners.js';
export { InvalidationListeners } from './driver-kit/invalidation-listeners.js';
export { LivenessCheck, type Pingable } from './driver-kit/liveness-check.js';
export { LivenessChecks } from './driver-kit/liveness-checks.js';
export {
  DEFAULT_LIVENESS_CHECK,
  type LivenessCheckOptions,
  livenessCheckOf,
} from './driver-kit/liveness-options.js';
export { retryTryAgain, TRY_AGAIN_PAUSES_MS } from './driver-kit/try-again.js';
export { isRedisDown } from './errors/is-redis-down.js';
export { callResilience } from './fail-safe/call-resilience.js';
export { encodeKey } from './input/encode-key.js';
export { encodeKeys, encodeMapKeys } from './input/encode-keys.js';
export { requireFunction } from './input/require-function.js';
export { MAX_TTL_MS, toTtlMs } from './input/ttl.js';
export { untilAborted } from './lifecycle/until-aborted.js';
export { choicesOf, storeTtlOf } from './loader/loader-choices.js';
export { decodeValue } from './value/decode-value.js';
export { deepFreeze } from './value/deep-freeze.js';
export { encodeValue } from './value/encode-value.js';
export { encodeValues } from './value/encode-values.js';
export { failedErrors } from './value/loader-failures.js';
export { multiLoad, singleLoad } from './view/loader-calls.js';
export { checkPrefix, prefixedKeyCodec } from './view/view-prefix.js';
export { throwBatch, throwFirst } from './write/throw-batch.js';
