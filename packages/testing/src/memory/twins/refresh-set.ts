import type { ScriptTwin } from '../script-twin.js';
import { bulk, hasPrefix, holds } from '../script-twin.js';

/**
 * refresh-set: write ARGV[1] PX ARGV[2] over KEYS[1] only if it still holds exactly ARGV[4]
 * (and that is not a lock, prefix ARGV[3]), then read its PTTL to re-arm tracking; reply 1.
 * Otherwise (missing, a lock, another value) 0.
 */
export const refreshSetTwin: ScriptTwin = (call, [key], [value, ttl, prefix, expected]) => {
  const current = call('GET', key!);
  const bytes = bulk(current);
  if (bytes === null || hasPrefix(bytes, prefix) || !holds(current, expected)) return 0;
  call('SET', key!, value!, 'PX', ttl!);
  call('PTTL', key!);
  return 1;
};
