import type { RedisReply } from '@redcache/core';
import type { ScriptTwin } from '../script-twin.js';
import { bulk } from '../script-twin.js';

/**
 * read-or-lock, as the script runs it: a key with a lock value is locked first with SET NX PX (a
 * write, which tracks nothing: the caller hears nothing of its own lock) and answers null, -3;
 * any other key, and one the SET NX found present, answers its value (or null) and its PTTL
 * (both reads, which track). Flat, in order.
 */
export const readOrLockTwin: ScriptTwin = (call, keys, [ttl, ...locks]) => {
  const out: RedisReply[] = [];
  keys.forEach((key, i) => {
    const lock = locks[i];
    if (lock !== undefined && lock.length > 0 && call('SET', key, lock, 'NX', 'PX', ttl!) !== null) {
      out.push(null, -3);
      return;
    }
    out.push(bulk(call('GET', key)), call('PTTL', key));
  });
  return out;
};
