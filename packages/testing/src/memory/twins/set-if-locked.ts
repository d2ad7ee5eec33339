import type { ScriptTwin } from '../script-twin.js';
import { holds } from '../script-twin.js';

/**
 * set-if-locked: if KEYS[1] holds ARGV[1] (our lock), SET it to ARGV[2] PX ARGV[3], then read
 * its PTTL (which re-arms the caller's tracking); reply 1. Otherwise 0.
 */
export const setIfLockedTwin: ScriptTwin = (call, [key], [lock, value, ttl]) => {
  if (!holds(call('GET', key!), lock)) return 0;
  call('SET', key!, value!, 'PX', ttl!);
  call('PTTL', key!);
  return 1;
};
