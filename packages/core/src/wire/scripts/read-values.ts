import { defineScript } from './script.js';

/**
 * read-values — the tracked read.
 * KEYS: the keys to read (one slot).
 * ARGV: none.
 * Reply: a flat array, two entries per key: the value (bulk string, or null when missing)
 *   and its PTTL (integer: ms left, -1 persistent, -2 missing).
 * Both are read atomically; the GET registers client tracking for the caller.
 */
export const readValuesScript = defineScript(
  'read-values',
  `local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', key)
  out[2 * i] = redis.call('PTTL', key)
end
return out`,
);
