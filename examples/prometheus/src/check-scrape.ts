/**
 * `pnpm test`: starts the service against a throwaway Redis, drives traffic through it, scrapes
 * `/metrics` and checks that every metric the workload moves appears with its TYPE.
 */
import assert from 'node:assert/strict';
import { instruments } from '@redcache/otel';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { parseScrape } from './scrape.js';
import { startService } from './service.js';

/** The Prometheus name of an OTel instrument, as the exporter writes it: dots become underscores; counters end in `_total`. */
function prometheusName(spec: { name: string; kind: string }): string {
  const name = spec.name.replaceAll('.', '_');
  return spec.kind === 'counter' ? `${name}_total` : name;
}

const moved = [
  instruments.cacheHits,
  instruments.cacheMisses,
  instruments.loaderDuration,
  instruments.loaderErrors,
];

const redis = await findRedis();
const service = await startService({
  redisUrl: redis.url,
  keyPrefix: uniqueKeyPrefix('redcache-example:prometheus'),
});
try {
  for (const path of ['/products/1', '/products/1', '/users/1', '/users/broken'])
    await fetch(service.url + path);
  const families = parseScrape(await (await fetch(`${service.url}/metrics`)).text());
  for (const spec of moved) {
    assert.equal(families.get(prometheusName(spec))?.type, spec.kind, prometheusName(spec));
  }
  console.log(`ok: ${moved.length} metrics scraped with their TYPE`);
} finally {
  await service.close();
  await redis.stop();
}
