import { ConnectError, newStringCache, StringCodec } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { createClient, type RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromClient } from '../connect.js';
import { testPrefix } from '../test-support/redis.js';
import { type StandInServer, startStandInServer } from '../test-support/stand-in-server.js';

const prefix = testPrefix('from-client-clear');

function client(url: string): RedisClientType {
  const created: RedisClientType = createClient({ url, RESP: 3, emitInvalidate: true });
  created.on('error', () => {});
  return created;
}

describe("fromClient's check holds clear's sends to its nodes too", () => {
  let redis: RedisHandle;
  let oldRedis: StandInServer;

  beforeAll(async () => {
    redis = await getRedis();
    oldRedis = await startStandInServer({ version: '6.2.0' });
  });
  afterAll(async () => {
    await oldRedis?.stop();
    await redis?.stop();
  });

  it('a clear made before the client is ready waits for the check, then removes the keys', async () => {
    const yours = client(redis.url);
    const conn = fromClient(yours);
    const view = newStringCache(conn, StringCodec, { prefix });
    const clearing = view.clear();
    await yours.connect();
    await yours.set(`${prefix}a`, 'x');
    // The SCAN waited for the check, so it may run before or after the SET: both are fine.
    expect([0, 1]).toContain(await clearing);
    await view.forceSet('b', 60_000, 'B');
    expect(await view.clear()).toBeGreaterThanOrEqual(1);
    expect(await yours.exists([`${prefix}a`, `${prefix}b`])).toBe(0);
    await conn.close();
  });

  it('on a Redis the check refuses, clear fails with the ConnectError as cause and sends no SCAN', async () => {
    const yours = client(oldRedis.url);
    await yours.connect();
    const conn = fromClient(yours);
    const view = newStringCache(conn, StringCodec, { prefix });
    const error = await view.clear().catch((e: unknown) => e);
    let cause: unknown = error;
    while (cause instanceof Error && !(cause instanceof ConnectError)) cause = cause.cause;
    expect(cause).toBeInstanceOf(ConnectError);
    expect(oldRedis.commands).not.toContain('SCAN');
    await conn.close();
  });
});
