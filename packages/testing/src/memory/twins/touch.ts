import type { ScriptTwin } from '../script-twin.js';
import { bulk, hasPrefix } from '../script-twin.js';

/** touch: PEXPIRE KEYS[1] ARGV[1] unless it is missing or holds a lock (prefix ARGV[2]). Reply 1, or 0. */
export const touchTwin: ScriptTwin = (call, [key], [ttl, prefix]) => {
  const current = bulk(call('GET', key!));
  if (current === null || hasPrefix(current, prefix)) return 0;
  call('PEXPIRE', key!, ttl!);
  return 1;
};
