import type { ScriptTwin } from '../script-twin.js';
import { holds } from '../script-twin.js';

/** extend-lock: if KEYS[1] holds ARGV[1] (our lock), PEXPIRE it ARGV[2]; reply 1. Otherwise 0. */
export const extendLockTwin: ScriptTwin = (call, [key], [lock, ttl]) => {
  if (!holds(call('GET', key!), lock)) return 0;
  call('PEXPIRE', key!, ttl!);
  return 1;
};
