/**
 * `pnpm start`: two connections to a real Redis (as two processes of a service would have),
 * each with a `CountingMetrics` and a console `Logger`; a small workload of misses, hits, a
 * failing loader and a key both connections want at once; then the counters. See ../README.md.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { JSONCodec, newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { consoleLogger } from './console-logger.js';
import { CountingMetrics } from './counting-metrics.js';
import { printCounters } from './print-counters.js';

interface Product {
  readonly id: string;
  readonly loadedBy: string;
}

const TTL_MS = 60_000;

const redis = await findRedis();
const prefix = uniqueKeyPrefix('redcache-example:metrics');
console.log(`Redis at ${redis.url} (${redis.source}), keys under ${prefix}\n`);

const metricsA = new CountingMetrics();
const metricsB = new CountingMetrics();
const connA = await connect({ url: redis.url }, { metrics: metricsA, logger: consoleLogger('A') });
const connB = await connect({ url: redis.url }, { metrics: metricsB, logger: consoleLogger('B') });
const productsA = newStringCache(connA, JSONCodec<Product>());
const productsB = newStringCache(connB, JSONCodec<Product>());

const key = (name: string) => `${prefix}${name}`;
const cold = [key('product:1'), key('product:2'), key('product:3')];
const [broken, contended] = [key('product:broken'), key('report')];

/** A loader for connection `by` that takes `ms` (a slow database query, say). */
const loadOn =
  (by: string, ms = 10) =>
  async (id: string): Promise<Product> => {
    await sleep(ms);
    return { id, loadedBy: by };
  };

try {
  console.log('1. A reads 3 cold keys: 3 misses, 3 loader calls (a lock attempt each, logged at debug)');
  for (const id of cold) await productsA.get(id, TTL_MS, loadOn('A'));

  console.log('2. A reads them again: 3 hits from its near cache; B reads one: a hit from Redis');
  for (const id of cold) await productsA.get(id, TTL_MS, loadOn('A'));
  await productsB.get(cold[0]!, TTL_MS, loadOn('B'));

  console.log('3. A reads a key whose loader fails: a loader error, the lock released at once');
  await productsA
    .get(broken, TTL_MS, async () => {
      throw new Error('database unavailable');
    })
    .catch((error: Error) => console.log(`   A got: ${error.message}`));

  console.log('4. A and B want the same cold key: A loads it (300 ms), B waits for A and gets its value');
  let fromB: Promise<Product> | undefined;
  const a = await productsA.get(contended, TTL_MS, async (id) => {
    // A's loader runs only once A holds the key's lock in Redis: B, asking now, has to wait.
    fromB = productsB.get(contended, TTL_MS, loadOn('B'));
    return loadOn('A', 300)(id);
  });
  const b = await fromB!;
  console.log(`   A got the value loaded by ${a.loadedBy}, B got the value loaded by ${b.loadedBy}\n`);
  assert.equal(b.loadedBy, 'A');

  printCounters({ A: metricsA, B: metricsB });
  assert.deepEqual([metricsA.hits, metricsA.misses, metricsA.failedLoads], [3, 4, 1]);
  assert.deepEqual([metricsB.hits, metricsB.misses, metricsB.loaderCalls], [1, 1, 0]);
  assert.ok(metricsB.contendedKeys >= 1 && metricsB.lockWaits >= 1);
} finally {
  await productsA.delMulti([...cold, broken, contended]);
  await Promise.all([connA.close(), connB.close()]);
  await redis.stop();
  console.log('\nCleaned up: keys deleted, connections closed.');
}
