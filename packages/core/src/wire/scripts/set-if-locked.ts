import { defineScript } from './script.js';

/**
 * set-if-locked — CAS set: replace our lock with the loaded value.
 * KEYS[1]: the key.
 * ARGV[1]: our lock value. ARGV[2]: the value (envelope). ARGV[3]: ttl in ms.
 * Reply: 1 written; 0 the key no longer holds our lock (lock lost).
 * The trailing PTTL is a read after the write: it re-arms client tracking of the key for the
 * caller (the SET consumed it), so the caller's near cache hears of the next change.
 */
export const setIfLockedScript = defineScript(
  'set-if-locked',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('PTTL', KEYS[1])
  return 1
end
return 0`,
);
