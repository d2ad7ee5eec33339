import { newStringCache, StringCodec } from '@redcache/core';
import type { RedisClientType, RedisClusterType } from '@redis/client';
import { expect } from 'vitest';
import { fromClient } from '../connect.js';

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
