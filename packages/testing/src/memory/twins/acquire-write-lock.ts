import type { ScriptTwin } from '../script-twin.js';
import { bulk, hasPrefix } from '../script-twin.js';

/**
 * acquire-write-lock: take KEYS[1] with ARGV[1] PX ARGV[2] unless it holds a lock (a value
 * starting with ARGV[3]). Reply: [1, null, 0] took a missing key; [1, value, pttl] took a
 * value; [0, lock, 0] left a lock alone.
 */
export const acquireWriteLockTwin: ScriptTwin = (call, [key], [lock, ttl, prefix]) => {
  const current = bulk(call('GET', key!));
  if (current === null) {
    call('SET', key!, lock!, 'PX', ttl!);
    return [1, null, 0];
  }
  if (hasPrefix(current, prefix)) return [0, current, 0];
  const pttl = call('PTTL', key!);
  call('SET', key!, lock!, 'PX', ttl!);
  return [1, current, pttl];
};
