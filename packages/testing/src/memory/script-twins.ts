import { createHash } from 'node:crypto';
import type { ScriptTwin } from './script-twin.js';
import { acquireWriteLockTwin } from './twins/acquire-write-lock.js';
import { extendLockTwin } from './twins/extend-lock.js';
import { readOrLockTwin } from './twins/read-or-lock.js';
import { readValuesTwin } from './twins/read-values.js';
import { refreshSetTwin } from './twins/refresh-set.js';
import { restoreValueTwin } from './twins/restore-value.js';
import { setIfLockedTwin } from './twins/set-if-locked.js';
import { setIfLockedManyTwin } from './twins/set-if-locked-many.js';
import { touchTwin } from './twins/touch.js';
import { unlockTwin } from './twins/unlock.js';

export interface NamedTwin {
  readonly name: string;
  readonly twin: ScriptTwin;
}

/**
 * The twins, by the SHA-1 of the exact Lua source each was written against. Pinning the
 * digest means a change to a script in core cannot go unnoticed: the memory driver answers
 * the new source with an error, and `script-twins.test.ts` fails, until the twin is
 * reviewed and its digest updated.
 */
const TWINS = new Map<string, NamedTwin>([
  ['ddbc1afc6964aa48bbac281772a242650eb67a26', { name: 'acquire-write-lock', twin: acquireWriteLockTwin }],
  ['dd28310c669f81d9ce39356a18da8070d4398972', { name: 'extend-lock', twin: extendLockTwin }],
  ['d4817c5c73969b142a67d4399ef5e0e62e657d65', { name: 'read-or-lock', twin: readOrLockTwin }],
  ['3946cf84fc54ebac8efe6b672ab4587c9555eb1f', { name: 'read-values', twin: readValuesTwin }],
  ['f131f1dc99b5207e1d3d025a6e2d315da9c47f83', { name: 'refresh-set', twin: refreshSetTwin }],
  ['45676a4847d0fad74552bddacee765b52cb5ba70', { name: 'restore-value', twin: restoreValueTwin }],
  ['8061c0a07786a49c850436822169dc853280c450', { name: 'set-if-locked', twin: setIfLockedTwin }],
  ['7f97ff7de2d2bf964fbc6ebb6831dd4d3a617b32', { name: 'set-if-locked-many', twin: setIfLockedManyTwin }],
  ['17eb0480c22932fcbcb43abdf38772e187339043', { name: 'touch', twin: touchTwin }],
  ['b6a796aa8d73bb4ce6e26afe648196d086a8d1f1', { name: 'unlock', twin: unlockTwin }],
]);

/** The SHA-1 of a script source, as `SCRIPT LOAD` and EVALSHA name it. */
export function sha1Of(source: string): string {
  return createHash('sha1').update(source, 'utf8').digest('hex');
}

/** The twin of the script with this SHA-1, if there is one. */
export function twinBySha(sha1: string): NamedTwin | undefined {
  return TWINS.get(sha1.toLowerCase());
}

/** The names and digests of every twin. */
export function twinDigests(): ReadonlyMap<string, string> {
  return new Map([...TWINS].map(([sha1, { name }]) => [name, sha1]));
}
