import { defineScript } from './script.js';

/**
 * unlock — CAS delete: release our lock only if the key still holds it.
 * KEYS[1]: the key.
 * ARGV[1]: our lock value.
 * Reply: 1 deleted; 0 the key holds something else (or nothing).
 */
export const unlockScript = defineScript(
  'unlock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
);
