import type { Contender } from './rounds.js';

/**
 * A plain GET through a node-redis client without any cache: one round trip to Redis. The
 * yardstick for the cold-miss figure (a miss is a few round trips).
 */
export function roundTripContender(get: (key: string) => Promise<unknown>, prefix: string): Contender {
  const key = `${prefix}round-trip`;
  return { name: 'node-redis GET, no cache (1 round trip)', batch: 1, operation: () => get(key) };
}
