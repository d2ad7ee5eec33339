import { randomUUID } from 'node:crypto';
import { Conn, JSONCodec, keyCodecFunc, newCache, newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { inject } from 'vitest';
import { createFakeCache } from '../fake/fake-cache.js';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { priceServiceBehaviour } from './price-service.behaviour.js';

// One test file, three caches: the user's tests pass unchanged on each.
priceServiceBehaviour('createFakeCache', async () => ({
  cache: createFakeCache<string, number>(),
  close: async () => {},
}));

priceServiceBehaviour('a real view over the memory driver', async () => {
  const conn = Conn.open(createMemoryRedis().connect());
  return { cache: newStringCache(conn, JSONCodec<number>()), close: () => conn.close() };
});

priceServiceBehaviour('a real view over Redis', async () => {
  const conn = await connect({ url: inject('redisUrl') });
  const prefix = `test:user-example:${randomUUID()}:`;
  const cache = newCache(
    conn,
    keyCodecFunc((key: string) => `${prefix}${key}`),
    JSONCodec<number>(),
  );
  return { cache, close: () => conn.close() };
});
