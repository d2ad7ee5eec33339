import { defineScript } from './script.js';

/**
 * restore-value — roll a failed write back, only while we still hold its lock.
 * KEYS[1]: the key.
 * ARGV[1]: our lock value. ARGV[2]: "1" to restore a value, "0" to delete the key.
 * ARGV[3]: the value to restore. ARGV[4]: its ttl in ms (> 0), or 0 for no expiry.
 * Reply: 1 restored or deleted; 0 the key no longer holds our lock (someone else's write stays).
 */
export const restoreValueScript = defineScript(
  'restore-value',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '1' then
  local pttl = tonumber(ARGV[4]) or 0
  if pttl > 0 then
    redis.call('SET', KEYS[1], ARGV[3], 'PX', pttl)
  else
    redis.call('SET', KEYS[1], ARGV[3])
  end
else
  redis.call('DEL', KEYS[1])
end
return 1`,
);
