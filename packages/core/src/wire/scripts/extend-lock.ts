import { defineScript } from './script.js';

/**
 * extend-lock — CAS PEXPIRE: keep our lock alive while a slow loader runs.
 * KEYS[1]: the key.
 * ARGV[1]: our lock value. ARGV[2]: the new lock ttl in ms.
 * Reply: 1 extended; 0 the key no longer holds our lock.
 */
export const extendLockScript = defineScript(
  'extend-lock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
);
