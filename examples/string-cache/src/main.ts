/**
 * `pnpm start`: a cache of strings, one method at a time, against a real Redis. Every step prints
 * what it did and what that shows; the asserts make `pnpm test` fail if a claim stops holding.
 * See ../README.md.
 */
import assert from 'node:assert/strict';
import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { createClient } from 'redis';

const TTL_MS = 60_000;

const redis = await findRedis();
const prefix = uniqueKeyPrefix('redcache-example:string-cache');
console.log(`Redis at ${redis.url} (${redis.source}), keys under ${prefix}\n`);

const conn = await connect({ url: redis.url });
const cache = newStringCache(conn, StringCodec);
/** A plain node-redis client, only to look at what redcache stored. */
const raw = createClient({ url: redis.url });
await raw.connect();

const key = (name: string) => `${prefix}${name}`;
const nameOf = (redisKey: string) => redisKey.slice(prefix.length);
const [greeting, a, b, c] = [key('greeting'), key('a'), key('b'), key('c')];

let loads = 0;
/** Stands in for the slow source of truth (a database): says when it runs. */
function loaded(redisKey: string): string {
  loads++;
  console.log(`   loader: loaded ${nameOf(redisKey)}`);
  return `hello from ${nameOf(redisKey)}`;
}
const load = async (redisKey: string) => loaded(redisKey);
const mustNotLoad = async (redisKey: string): Promise<string> => {
  throw new Error(`unexpected load of ${nameOf(redisKey)}`);
};

try {
  console.log('1. get(greeting, 60 s, loader): the key is nowhere yet, so the loader runs');
  console.log(`   -> ${JSON.stringify(await cache.get(greeting, TTL_MS, load))}`);
  console.log(`   Redis holds ${JSON.stringify(await raw.get(greeting))}`);
  console.log('   (the envelope: the loader time in ns, then the payload)');
  console.log(`   get again -> ${JSON.stringify(await cache.get(greeting, TTL_MS, mustNotLoad))}`);
  console.log('   a hit from the near cache: no loader, no Redis round trip\n');
  assert.equal(loads, 1);

  console.log('2. getMulti([greeting, a, b]): one loader call, for the keys not cached only');
  const many = await cache.getMulti([greeting, a, b], TTL_MS, async (missing) => {
    console.log(`   loader asked for: ${missing.map(nameOf).join(', ')}`);
    return new Map(missing.map((k) => [k, loaded(k)]));
  });
  for (const [k, value] of many) console.log(`   ${nameOf(k)} -> ${JSON.stringify(value)}`);
  console.log();
  assert.equal(loads, 3);

  console.log('3. peek: the stored value if there is one; never loads, locks or waits');
  console.log(`   peek(a) -> ${JSON.stringify(await cache.peek(a, TTL_MS))}`);
  console.log(`   peek(c) -> ${JSON.stringify(await cache.peek(c, TTL_MS))}`);
  console.log(`   c exists in Redis: ${(await raw.exists(c)) === 1} (peek stored nothing)\n`);

  console.log('4. set(greeting, 60 s, loader): write-through under a write lock');
  await cache.set(greeting, TTL_MS, async () => 'hello again');
  console.log(`   get -> ${JSON.stringify(await cache.get(greeting, TTL_MS, mustNotLoad))}`);
  console.log('   the writer keeps what it wrote (read-your-writes); other processes drop their copy\n');

  console.log('5. forceSet(greeting, 60 s, "forced"): writes the value over anything, lock included');
  await cache.forceSet(greeting, TTL_MS, 'forced');
  console.log(`   get -> ${JSON.stringify(await cache.get(greeting, TTL_MS, mustNotLoad))}`);
  console.log(`   Redis holds ${JSON.stringify(await raw.get(greeting))} (delta 0: nothing was computed)\n`);

  console.log('6. touch(greeting, 5 s): a new ttl for a stored value');
  const before = await raw.pTTL(greeting);
  await cache.touch(greeting, 5_000);
  console.log(`   PTTL ${before} ms -> ${await raw.pTTL(greeting)} ms`);
  await cache.touch(c, 5_000);
  console.log(
    `   touch(c) on a missing key: c exists = ${(await raw.exists(c)) === 1} (touch never creates)\n`,
  );

  console.log('7. del(greeting): gone from Redis and from every near cache');
  await cache.del(greeting);
  console.log(`   peek(greeting) -> ${JSON.stringify(await cache.peek(greeting, TTL_MS))}`);
  console.log(`   get -> ${JSON.stringify(await cache.get(greeting, TTL_MS, load))} (loaded again)`);
  assert.equal(loads, 4);
} finally {
  await cache.delMulti([greeting, a, b, c]);
  await Promise.all([conn.close(), raw.close()]);
  await redis.stop();
  console.log('\nCleaned up: keys deleted, connections closed.');
}
