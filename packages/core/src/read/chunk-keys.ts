/**
 * Keys per read script at most. Redis runs a script to completion while every other client
 * waits, and with client tracking on, Redis 7.0 spends O(N) per tracked read in a script that
 * declares N keys: a script over all the keys of a large getMulti is O(N²) and stalls the
 * server (10,000 keys: seconds, then BUSY for everyone). 128 keeps each script short; the
 * chunks of a slot group still go in one pipeline, one round trip.
 */
export const MAX_KEYS_PER_SCRIPT = 128;

/** `keys` cut, in order, into runs of at most `MAX_KEYS_PER_SCRIPT`. */
export function chunkKeys<T>(keys: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS_PER_SCRIPT) {
    chunks.push(keys.slice(start, start + MAX_KEYS_PER_SCRIPT));
  }
  return chunks;
}
