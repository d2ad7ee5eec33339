import type { RedisHealth } from '../health/redis-health.js';
import type { MetricsSource } from '../metrics.js';
import type { NearCache } from '../near-cache/near-cache.js';

/**
 * What `Metrics.observe` is given when a connection opens: its near cache's entries and bytes
 * (zeros without one, and once closed) and its breaker's state, read when asked.
 *
 * @param nearCache - the connection's near cache, if it has one.
 * @param health - the connection's breaker.
 * @returns the source.
 */
export function metricsSourceOf(nearCache: NearCache | undefined, health: RedisHealth): MetricsSource {
  return {
    nearCache: () =>
      nearCache === undefined
        ? { entries: 0, bytes: 0 }
        : { entries: nearCache.size, bytes: nearCache.bytes },
    breakerState: () => (health.down ? 'open' : 'closed'),
  };
}
