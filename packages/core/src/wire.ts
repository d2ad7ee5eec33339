/**
 * `@redcache/core/wire`: the wire format shared with the Go library, for drivers, tools and
 * tests that speak it directly — the value envelope, the Lua scripts as typed descriptors
 * (`defineScript` makes one), and the hash slot of a key. See docs/wire-format.md.
 */
export type { Unwrapped } from './wire/envelope.js';
export { ENVELOPE_PREFIX, unwrapEnvelope, wrapEnvelope } from './wire/envelope.js';
export type { Script } from './wire/scripts/index.js';
export {
  acquireWriteLockScript,
  defineScript,
  extendLockScript,
  readOrLockScript,
  readValuesScript,
  refreshSetScript,
  restoreValueScript,
  setIfLockedManyScript,
  setIfLockedScript,
  touchScript,
  unlockScript,
} from './wire/scripts/index.js';
