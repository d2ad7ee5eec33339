import { defineScript } from './script.js';

/**
 * touch — set a value's ttl; never creates a key, never extends a lock.
 * KEYS[1]: the key.
 * ARGV[1]: the new ttl in ms. ARGV[2]: the lock prefix.
 * Reply: 1 the ttl was set; 0 the key is missing or holds a lock.
 */
export const touchScript = defineScript(
  'touch',
  `local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
if string.sub(current, 1, string.len(ARGV[2])) == ARGV[2] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`,
);
