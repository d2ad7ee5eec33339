/**
 * `pnpm test`: starts the service against a throwaway Redis, drives traffic through it,
 * scrapes `/metrics` and checks every metric the docs list appears with its TYPE, and that
 * every query of the Grafana dashboard names only metrics the scrape shows.
 */
import assert from 'node:assert/strict';
import { startRedisServer, uniqueKeyPrefix } from '@redcache/redis-harness';
import { checkDashboard } from './check-dashboard.js';
import { documentedMetrics } from './documented-metrics.js';
import { parseScrape } from './scrape.js';
import { startService } from './service.js';
import { driveTraffic } from './workload.js';

const redis = await startRedisServer();
const prefix = uniqueKeyPrefix('redcache-example:prometheus');
const service = await startService({ redisUrl: redis.url, keyPrefix: prefix, nearCacheMaxEntries: 20 });
try {
  const { duringOutage, final } = await driveTraffic(service, redis, prefix);
  const families = parseScrape(final);
  const documented = documentedMetrics();
  const missing: string[] = [];
  for (const metric of documented) {
    const family = families.get(metric.prometheus);
    if (family === undefined) missing.push(metric.prometheus);
    else assert.equal(family.type, metric.type, `${metric.prometheus}'s TYPE`);
  }
  assert.deepEqual(missing, [], 'documented metrics the scrape does not show');
  assert.match(duringOutage, /redcache_breaker_state\{state="open",[^}]*\} 1\n/);
  assert.match(final, /redcache_breaker_state\{state="open",[^}]*\} 0\n/);
  const queries = checkDashboard(families);
  console.log(
    `ok: all ${documented.length} documented metrics scraped with their TYPE; ` +
      `${queries} dashboard queries name only scraped metrics and labels`,
  );
} finally {
  await service.close();
  await redis.stop();
}
