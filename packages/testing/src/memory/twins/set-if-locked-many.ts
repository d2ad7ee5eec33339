import type { ScriptTwin } from '../script-twin.js';
import { setIfLockedTwin } from './set-if-locked.js';

/**
 * set-if-locked-many: set-if-locked for each key in turn, with that key's triple of ARGV
 * (lock, value, ttl); reply the array of their replies (1 written, 0 not our lock), in key order.
 */
export const setIfLockedManyTwin: ScriptTwin = (call, keys, argv) =>
  keys.map((key, i) => setIfLockedTwin(call, [key], argv.slice(3 * i, 3 * i + 3)));
