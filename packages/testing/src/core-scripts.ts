import * as core from '@redcache/core';

/** core's Lua scripts, as `@redcache/core` exports them. */
export const coreScripts: readonly core.Script[] = [
  core.acquireWriteLockScript,
  core.extendLockScript,
  core.readValuesScript,
  core.refreshSetScript,
  core.restoreValueScript,
  core.setIfLockedScript,
  core.touchScript,
  core.unlockScript,
];

/** A core script by name. */
export function coreScript(name: string): core.Script | undefined {
  return coreScripts.find((script) => script.name === name);
}
