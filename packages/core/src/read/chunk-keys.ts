/**
 * Keys per read script at most. Redis runs a script to completion while every other client
 * waits, and with client tracking on, Redis 7.0 re-remembers every key a script declares on
 * each tracked read inside it: O(N) per read, O(N²) per script. A script over all the keys of
 * a large getMulti stalls the server (10,000 keys: seconds, then BUSY for everyone), and even
 * 100 keys in one read-or-lock cost ~0.75 ms of server time against ~0.2 ms untracked. 16
 * keeps the quadratic part small without a command per key (measured on 100 cold keys:
 * chunks of 16 about half the server time of one script of 100, and below chunks of 4 or 32);
 * the chunks of a slot group still go in one pipeline, one round trip.
 */
export const MAX_KEYS_PER_SCRIPT = 16;

/** `keys` cut, in order, into runs of at most `max` (`MAX_KEYS_PER_SCRIPT` unless given). */
export function chunkKeys<T>(keys: readonly T[], max = MAX_KEYS_PER_SCRIPT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < keys.length; start += max) chunks.push(keys.slice(start, start + max));
  return chunks;
}
