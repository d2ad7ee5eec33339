/**
 * `pnpm start`: redcache's metrics through OpenTelemetry. `createOtelMetrics` records every event
 * of two connections on OTel instruments; after a small workload the MeterProvider is flushed and
 * its console exporter prints each instrument. See ../README.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { JSONCodec, newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { createOtelMetrics } from '@redcache/otel';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { consoleMeterProvider } from './telemetry.js';

interface Product {
  readonly id: string;
  readonly loadedBy: string;
}

const TTL_MS = 60_000;

const redis = await findRedis();
const prefix = uniqueKeyPrefix('redcache-example:otel');
console.log(`Redis at ${redis.url} (${redis.source}), keys under ${prefix}\n`);

const meterProvider = consoleMeterProvider();
// One Metrics for the process, shared by its connections: the instruments add up.
const metrics = createOtelMetrics({ meterProvider });
const connA = await connect({ url: redis.url }, { metrics });
const connB = await connect({ url: redis.url }, { metrics });
const productsA = newStringCache(connA, JSONCodec<Product>());
const productsB = newStringCache(connB, JSONCodec<Product>());

const key = (name: string) => `${prefix}${name}`;
const cold = [key('product:1'), key('product:2'), key('product:3')];
const [broken, contended] = [key('product:broken'), key('report')];
const loadOn =
  (by: string, ms = 10) =>
  async (id: string): Promise<Product> => {
    await sleep(ms);
    return { id, loadedBy: by };
  };

try {
  console.log('Workload:');
  console.log('  A reads 3 cold keys (3 misses, 3 loads), then again (3 hits); B reads one (1 hit)');
  for (const id of [...cold, ...cold]) await productsA.get(id, TTL_MS, loadOn('A'));
  await productsB.get(cold[0]!, TTL_MS, loadOn('B'));

  console.log('  A reads a key whose loader fails (1 loader error)');
  await productsA
    .get(broken, TTL_MS, () => Promise.reject(new Error('database unavailable')))
    .catch(() => {});

  console.log(
    '  A loads a key for 200 ms (1 miss); B asks for it meanwhile (1 miss, 1 contended key, 1 wait)',
  );
  let fromB: Promise<Product> | undefined;
  await productsA.get(contended, TTL_MS, async (id) => {
    fromB = productsB.get(contended, TTL_MS, loadOn('B')); // A holds the lock now
    return loadOn('A', 200)(id);
  });
  await fromB;

  console.log('\nforceFlush: the console exporter prints every instrument that recorded something\n');
  await meterProvider.forceFlush();
} finally {
  await productsA.delMulti([...cold, broken, contended]);
  await Promise.all([connA.close(), connB.close()]);
  await meterProvider.shutdown();
  await redis.stop();
  console.log('\nCleaned up: keys deleted, connections closed, MeterProvider shut down.');
}
