import { defineScript } from './script.js';

/**
 * acquire-write-lock — take a key for a write, keeping what it held so a failed write can
 * put it back. Never overwrites a lock (a read in flight, or another write).
 * KEYS[1]: the key.
 * ARGV[1]: our lock value. ARGV[2]: lock ttl in ms. ARGV[3]: the lock prefix.
 * Reply: a 3-array.
 *   {1, nil, 0}          acquired; the key held nothing.
 *   {1, <value>, <pttl>} acquired; the key held <value> with <pttl> ms left (-1 persistent).
 *   {0, <lock>, 0}       not acquired; the key holds a lock.
 */
export const acquireWriteLockScript = defineScript(
  'acquire-write-lock',
  `local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, false, 0}
end
if string.sub(current, 1, string.len(ARGV[3])) == ARGV[3] then
  return {0, current, 0}
end
local pttl = redis.call('PTTL', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, current, pttl}`,
);
