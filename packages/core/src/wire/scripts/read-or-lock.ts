import { defineScript } from './script.js';

/**
 * read-or-lock — the tracked read of a miss path, which locks what it finds missing.
 * KEYS: the keys to read (one slot).
 * ARGV[1]: lockTTL in ms. ARGV[1 + i]: the lock value for KEYS[i], or '' to only read it.
 * Reply: a flat array, two entries per key: the value (bulk string, or null when missing) and
 *   its PTTL (integer: ms left, -1 persistent, -2 missing) — or null and -3 when the key was
 *   missing and now holds ARGV[1 + i] PX ARGV[1] (our lock: what `SET key lock NX PX lockTTL`
 *   writes, byte for byte).
 * The GET registers client tracking for the caller; the lock write invalidates the key (the
 * caller hears its own write, as after SET NX).
 */
export const readOrLockScript = defineScript(
  'read-or-lock',
  `local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  local lock = ARGV[i + 1]
  if value == false and lock ~= nil and lock ~= '' then
    redis.call('SET', key, lock, 'PX', ARGV[1])
    out[2 * i - 1] = false
    out[2 * i] = -3
  else
    out[2 * i - 1] = value
    out[2 * i] = redis.call('PTTL', key)
  end
end
return out`,
);
