import type { ScriptTwin } from '../script-twin.js';
import { holds } from '../script-twin.js';

/** unlock: delete KEYS[1] only if it holds ARGV[1] (our lock). Reply: the DEL count (1), or 0. */
export const unlockTwin: ScriptTwin = (call, [key], [lock]) => {
  if (holds(call('GET', key!), lock)) return call('DEL', key!);
  return 0;
};
