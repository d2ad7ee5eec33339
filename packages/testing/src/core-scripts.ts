import * as core from '@redcache/core';

/**
 * core's Lua scripts, as `@redcache/core` exports them. `refreshSetScript` is looked up by
 * name because core's index does not export it yet; it joins the list once it does.
 */
export const coreScripts: readonly core.Script[] = [
  core.acquireWriteLockScript,
  core.extendLockScript,
  core.readValuesScript,
  core.restoreValueScript,
  core.setIfLockedScript,
  core.touchScript,
  core.unlockScript,
  ...optional('refreshSetScript'),
];

function optional(name: string): core.Script[] {
  const script = (core as unknown as Record<string, core.Script | undefined>)[name];
  return script === undefined ? [] : [script];
}

/** A core script by name, if core exports it. */
export function coreScript(name: string): core.Script | undefined {
  return coreScripts.find((script) => script.name === name);
}
