/**
 * `pnpm start`: redcache on ioredis, against a real Redis. Two Conns stand in for two
 * processes of a fleet: one loader call per key across both, and a write from a plain ioredis
 * client (your other code) reaches both near caches. The asserts make `pnpm test` fail if a
 * claim stops holding. See ../README.md.
 */
import assert from 'node:assert/strict';
import { JSONCodec, newStringCache } from '@redcache/core';
import { connect, fromClient } from '@redcache/ioredis';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { Redis } from 'ioredis';

interface Price {
  readonly sku: string;
  readonly cents: number;
}

const redis = await findRedis();
const prefix = uniqueKeyPrefix('redcache-example:ioredis');
console.log(`Redis at ${redis.url} (${redis.source}), keys under ${prefix}\n`);

// "Process" A connects with a URL; "process" B brings the ioredis client it already has.
const connA = await connect(redis.url);
const yours = new Redis(redis.url);
const connB = fromClient(yours);
const pricesA = newStringCache(connA, JSONCodec<Price>());
const pricesB = newStringCache(connB, JSONCodec<Price>());
const key = `${prefix}price:42`;

let loads = 0;
const load = async (): Promise<Price> => {
  loads++;
  console.log('   loader: reading price 42 from the database');
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { sku: '42', cents: 1999 };
};

try {
  console.log('1. A and B ask for the same cold key at once: one loader call between them');
  const [a, b] = await Promise.all([pricesA.get(key, '1m', load), pricesB.get(key, '1m', load)]);
  console.log(`   A -> ${JSON.stringify(a)}, B -> ${JSON.stringify(b)}\n`);
  assert.equal(loads, 1);
  assert.deepEqual(a, b);

  console.log('2. Asked again, each is served from its own near cache: no loader, no round trip');
  assert.deepEqual(await pricesA.get(key, '1m', load), a);
  assert.deepEqual(await pricesB.get(key, '1m', load), b);
  assert.equal(loads, 1);
  console.log('   (both near hits)\n');

  console.log('3. Your own ioredis client deletes the key: Redis tells both Conns, whose near caches let go');
  await yours.del(key);
  const reloaded = await waitFor(
    () => pricesB.get(key, '1m', async () => ({ sku: '42', cents: 1799 })),
    (price) => price.cents === 1799,
  );
  console.log(`   B -> ${JSON.stringify(reloaded)} (loaded again)`);
  assert.equal(reloaded.cents, 1799);
  const seenByA = await waitFor(
    () => pricesA.get(key, '1m', load),
    (price) => price.cents === 1799,
  );
  console.log(`   A -> ${JSON.stringify(seenByA)} (B's value, read from Redis: no loader call)\n`);
  assert.equal(loads, 1);
} finally {
  await yours.del(key);
  await Promise.all([connA.close(), connB.close()]);
  await yours.quit();
}
console.log('done');

/** Calls `read` until `ok` says yes (a push takes a moment to arrive): at most 2 s. */
async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
