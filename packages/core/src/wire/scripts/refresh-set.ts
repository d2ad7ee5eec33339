import { defineScript } from './script.js';

/**
 * refresh-set — write a refreshed value back, only over the exact value the refresh replaces.
 * KEYS[1]: the key.
 * ARGV[1]: the new value (envelope). ARGV[2]: ttl in ms. ARGV[3]: the lock prefix.
 * ARGV[4]: the raw value seen when the refresh was triggered.
 * Reply: 1 written; 0 skipped: the key is gone (left to the next miss), holds a lock (a load
 *   or write in flight will write its own value), or holds another value (a newer write).
 * The trailing PTTL re-arms client tracking of the key for the caller.
 */
export const refreshSetScript = defineScript(
  'refresh-set',
  `local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
if string.sub(current, 1, string.len(ARGV[3])) == ARGV[3] then
  return 0
end
if current ~= ARGV[4] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PTTL', KEYS[1])
return 1`,
);
