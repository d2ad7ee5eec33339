import type { ScriptTwin } from '../script-twin.js';
import { holds, luaNumber } from '../script-twin.js';

/**
 * restore-value: only while KEYS[1] holds ARGV[1] (our lock): ARGV[2] "1" puts back ARGV[3]
 * (PX ARGV[4] when that is a number > 0, else without expiry), anything else deletes the
 * key; reply 1. Otherwise 0.
 */
export const restoreValueTwin: ScriptTwin = (call, [key], [lock, mode, value, ttl]) => {
  if (!holds(call('GET', key!), lock)) return 0;
  if (mode?.byteLength === 1 && mode[0] === 0x31) {
    const pttl = luaNumber(ttl) ?? 0;
    if (pttl > 0) call('SET', key!, value!, 'PX', String(pttl));
    else call('SET', key!, value!);
  } else {
    call('DEL', key!);
  }
  return 1;
};
