export { acquireWriteLockScript } from './acquire-write-lock.js';
export { extendLockScript } from './extend-lock.js';
export { readValuesScript } from './read-values.js';
export { restoreValueScript } from './restore-value.js';
export type { Script } from './script.js';
export { defineScript } from './script.js';
export { setIfLockedScript } from './set-if-locked.js';
export { touchScript } from './touch.js';
export { unlockScript } from './unlock.js';
