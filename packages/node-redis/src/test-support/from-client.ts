import { newStringCache, StringCodec } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { createClient, type RedisClientType, type RedisClusterType } from '@redis/client';
import { afterAll, beforeAll, expect } from 'vitest';
import { fromClient } from '../connect.js';
import { type StandInServer, startStandInServer } from './stand-in-server.js';

/** `fromClient(client)` gives a Conn over that very client, which serves a get of `key`; closing the Conn closes the client. */
export async function expectFromClientServesAndCloses(
  client: RedisClientType | RedisClusterType,
  key: string,
): Promise<void> {
  const conn = fromClient(client);
  expect(conn.client).toBe(client);
  const cache = newStringCache(conn, StringCodec);
  expect(await cache.get(key, 60_000, async () => 'v')).toBe('v');
  await conn.close();
  expect(client.isOpen).toBe(false);
}

/** A RESP3 client with invalidation pushes on, as `fromClient` needs it, whose error events are ignored. */
export function quietClient(url: string): RedisClientType {
  const created: RedisClientType = createClient({ url, RESP: 3, emitInvalidate: true });
  created.on('error', () => {});
  return created;
}

/** A real Redis and a stand-in that says it is Redis 6.2, for the suite (started before it, stopped after). */
export function useRedisAndOldStandIn(): { readonly redis: RedisHandle; readonly oldRedis: StandInServer } {
  const servers = {} as { redis: RedisHandle; oldRedis: StandInServer };
  beforeAll(async () => {
    servers.redis = await getRedis();
    servers.oldRedis = await startStandInServer({ version: '6.2.0' });
  });
  afterAll(async () => {
    await servers.oldRedis?.stop();
    await servers.redis?.stop();
  });
  return servers;
}
