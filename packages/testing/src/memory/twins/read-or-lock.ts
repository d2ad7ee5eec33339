import type { RedisReply } from '@redcache/core';
import type { ScriptTwin } from '../script-twin.js';
import { bulk } from '../script-twin.js';

/**
 * read-or-lock: for each key, GETEX it (which does not track); when missing and ARGV[1 + i] is
 * not '', SET it to that lock PX ARGV[1] and answer null, -3 (the key stays untracked, so the
 * caller hears nothing of its own lock); otherwise answer the value (or null) and its PTTL
 * (which tracks). Flat, in order.
 */
export const readOrLockTwin: ScriptTwin = (call, keys, [ttl, ...locks]) => {
  const out: RedisReply[] = [];
  keys.forEach((key, i) => {
    const value = bulk(call('GETEX', key));
    const lock = locks[i];
    if (value === null && lock !== undefined && lock.length > 0) {
      call('SET', key, lock, 'PX', ttl!);
      out.push(null, -3);
      return;
    }
    out.push(value, call('PTTL', key));
  });
  return out;
};
