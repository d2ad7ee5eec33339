import { defineScript } from './script.js';

/**
 * set-if-locked-many — set-if-locked for several keys of one slot, in one script: each key whose
 * lock is still ours is replaced with its value, exactly as set-if-locked replaces one (the same
 * GET, SET … PX and trailing PTTL per key, so the same bytes and the same ttl land, and a Go
 * process sees nothing it would not see after one set-if-locked per key).
 * KEYS: the keys (one slot).
 * ARGV[3i − 2]: our lock value for KEYS[i]. ARGV[3i − 1]: its value (envelope). ARGV[3i]: its
 *   ttl in ms.
 * Reply: an array, one entry per key: 1 written; 0 the key no longer holds our lock (lock lost).
 * Each key's trailing PTTL re-arms the caller's tracking of it after its SET. On Redis 7.0 a read
 * in a script tracks every key the script declares, so a key is tracked by the first read and
 * each SET invalidates only its own key: each written key pushes one invalidation to the caller,
 * as its set-if-locked would (and a key found not ours pushes none). One script costs the server
 * O(N²) tracking work for N keys (see MAX_KEYS_PER_SCRIPT), but the client one command instead of
 * N: a getMulti's values go in a script per 8 keys (MAX_KEYS_PER_CAS), not a command per key.
 */
export const setIfLockedManyScript = defineScript(
  'set-if-locked-many',
  `local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[3 * i - 2] then
    redis.call('SET', key, ARGV[3 * i - 1], 'PX', ARGV[3 * i])
    redis.call('PTTL', key)
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`,
);
