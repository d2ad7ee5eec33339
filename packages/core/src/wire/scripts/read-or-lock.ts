import { defineScript } from './script.js';

/**
 * read-or-lock — the tracked read of a miss path, which locks what it finds missing.
 * KEYS: the keys to read (one slot).
 * ARGV[1]: lockTTL in ms. ARGV[1 + i]: the lock value for KEYS[i], or '' to only read it.
 * Reply: a flat array, two entries per key: the value (bulk string, or null when missing) and
 *   its PTTL (integer: ms left, -1 persistent, -2 missing) — or null and -3 when the key was
 *   missing and now holds ARGV[1 + i] PX ARGV[1] (our lock: what `SET key lock NX PX lockTTL`
 *   writes, byte for byte).
 * Each key is read with GETEX (no options: GET's reply, nothing changed), which, flagged a write,
 * arms no client tracking; the PTTL of every key not locked here does. So a key found with a
 * value (or a lock, or missing and only read) is tracked for the caller, and a key locked here is
 * not: the lock write pushes no invalidation to the caller itself (one push less per cold miss;
 * the compare-and-set that fills it tracks it again). On Redis 7.0 a read in a script tracks
 * every key the script declares, so in a script of several keys a key locked after another was
 * read is tracked and hears its own lock write, as before; the engine ignores that push.
 * Where Redis refuses writes (MISCONF after a failed save, NOREPLICAS, a read-only replica) it
 * refuses GETEX too, which would fail every read: the key is then read with GET, as before GETEX
 * (a missing key's lock cannot be written there either, and fails the script as SET NX would).
 */
export const readOrLockScript = defineScript(
  'read-or-lock',
  `local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.pcall('GETEX', key)
  if type(value) == 'table' then value = redis.call('GET', key) end
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
