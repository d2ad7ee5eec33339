import * as core from '@redcache/core/wire';

/** core's Lua scripts, as `@redcache/core/wire` exports them. */
export const coreScripts: readonly core.Script[] = [
  core.acquireWriteLockScript,
  core.extendLockScript,
  core.readOrLockScript,
  core.readValuesScript,
  core.refreshSetScript,
  core.restoreValueScript,
  core.setIfLockedScript,
  core.setIfLockedManyScript,
  core.touchScript,
  core.unlockScript,
];

/** A core script by name. */
export function coreScript(name: string): core.Script | undefined {
  return coreScripts.find((script) => script.name === name);
}
