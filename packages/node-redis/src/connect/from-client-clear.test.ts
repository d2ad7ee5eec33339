import { ConnectError, newStringCache, StringCodec } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { fromClient } from '../connect.js';
import { quietClient, useRedisAndOldStandIn } from '../test-support/from-client.js';
import { testPrefix } from '../test-support/redis.js';

const prefix = testPrefix('from-client-clear');

describe("fromClient's check holds clear's sends to its nodes too", () => {
  const servers = useRedisAndOldStandIn();

  it('a clear made before the client is ready waits for the check, then removes the keys', async () => {
    const yours = quietClient(servers.redis.url);
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
    const yours = quietClient(servers.oldRedis.url);
    await yours.connect();
    const conn = fromClient(yours);
    const view = newStringCache(conn, StringCodec, { prefix });
    const error = await view.clear().catch((e: unknown) => e);
    let cause: unknown = error;
    while (cause instanceof Error && !(cause instanceof ConnectError)) cause = cause.cause;
    expect(cause).toBeInstanceOf(ConnectError);
    expect(servers.oldRedis.commands).not.toContain('SCAN');
    await conn.close();
  });
});
