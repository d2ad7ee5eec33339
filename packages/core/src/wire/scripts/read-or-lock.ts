import { defineScript } from './script.js';

/**
 * read-or-lock — the tracked read of a miss path, which locks what it finds missing.
 * KEYS: the keys to read (one slot).
 * ARGV[1]: lockTTL in ms. ARGV[1 + i]: the lock value for KEYS[i], or '' to only read it.
 * Reply: a flat array, two entries per key: the value (bulk string, or null when missing) and
 *   its PTTL (integer: ms left, -1 persistent, -2 missing) — or null and -3 when the key was
 *   missing and now holds ARGV[1 + i] PX ARGV[1] (our lock: what `SET key lock NX PX lockTTL`
 *   writes, byte for byte).
 * A key with a lock value is locked first, with `SET key lock NX PX lockTTL` (a write, which arms
 * no client tracking): when it was missing it now holds our lock, untracked, so the lock write
 * pushes no invalidation to the caller itself (one push less per cold miss; the compare-and-set
 * that fills it tracks it again). Any other key, and one the SET NX found present, is read with
 * GET and PTTL, which track it for the caller. On Redis 7.0 a read in a script tracks every key
 * the script declares, so in a script of several keys a key locked before another was read is
 * tracked (no push), and one locked after it hears its own lock write (the engine ignores it).
 * Where Redis refuses the lock write (OOM past maxmemory, MISCONF after a failed save,
 * NOREPLICAS) a key holding a value is still read, and a missing one fails the script with
 * Redis's error, as a SET NX would: the refusal is taken with `pcall`, since once a script has run
 * a write command Redis no longer applies its maxmemory check to the script's later writes
 * (that is why the lock is not written after a GETEX).
 */
export const readOrLockScript = defineScript(
  'read-or-lock',
  `local out = {}
for i, key in ipairs(KEYS) do
  local lock = ARGV[i + 1]
  local locked, refused = false, nil
  if lock ~= nil and lock ~= '' then
    local set = redis.pcall('SET', key, lock, 'NX', 'PX', ARGV[1])
    if type(set) == 'table' then
      if set.err ~= nil then refused = set else locked = true end
    end
  end
  if locked then
    out[2 * i - 1] = false
    out[2 * i] = -3
  else
    local value = redis.call('GET', key)
    if value == false and refused ~= nil then return refused end
    out[2 * i - 1] = value
    out[2 * i] = redis.call('PTTL', key)
  end
end
return out`,
);
