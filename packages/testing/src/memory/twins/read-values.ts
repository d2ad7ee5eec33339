import type { RedisReply } from '@redcache/core';
import type { ScriptTwin } from '../script-twin.js';

/** read-values: for each key, its value (or null) and its PTTL, flat, in order. Both reads track. */
export const readValuesTwin: ScriptTwin = (call, keys) => {
  const out: RedisReply[] = [];
  for (const key of keys) out.push(call('GET', key), call('PTTL', key));
  return out;
};
