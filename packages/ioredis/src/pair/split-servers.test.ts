import { Conn, newStringCache, StringCodec } from '@redcache/core';
import { redisCommand, startRedisServer, startTcpProxy } from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';

it("when the address moves and only the data connection reconnects (it reaches another server than the subscriber), the pair is set up again on one server (the data connection's tracking was redirected to an id on the other server: a stranger's, or nobody's)", async () => {
  const [x1, x2] = await Promise.all([startRedisServer(), startRedisServer()]);
  // The address clients use: it leads to x1, then to x2 (a failover behind DNS or a proxy).
  const target = { host: '127.0.0.1', port: x1.port };
  const proxy = await startTcpProxy(target);
  const driver = driverFor(new Redis(proxy.url, { lazyConnect: true, retryStrategy: () => 50 }), undefined, {
    ownsClient: true,
  });
  const conn = Conn.open(driver);
  const cache = newStringCache(conn, StringCodec);
  const otherConn = Conn.open(
    driverFor(new Redis(x2.url, { lazyConnect: true }), undefined, { ownsClient: true }),
  );
  const other = newStringCache(otherConn, StringCodec);
  try {
    await driver.whenEstablished();
    let breaks = 0;
    driver.onInvalidate((key) => {
      if (key === null) breaks++;
    });
    await other.forceSet('k', 60_000, 'v1');
    target.port = x2.port;
    // The data connection drops (a normal client); the subscriber (a pub/sub client) stays on x1.
    expect(
      await redisCommand('127.0.0.1', x1.port, ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']),
    ).toBe(1);
    await expect.poll(() => breaks).toBeGreaterThan(0);
    // Twice: a read that spans the pair's setup is not kept; the second one is.
    expect(await cache.get('k', 60_000, async () => 'loaded')).toBe('v1');
    expect(await cache.get('k', 60_000, async () => 'loaded')).toBe('v1');
    // The data connection's tracking points at a subscribed client of the server it is on.
    const info = (await driver.connections.data.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    const redirect = String(info[info.indexOf('redirect') + 1]);
    const list = String(await redisCommand('127.0.0.1', x2.port, ['CLIENT', 'LIST', 'ID', redirect]));
    expect(list).toMatch(/\bsub=1\b/);
    await other.forceSet('k', 60_000, 'v2');
    await expect.poll(() => cache.get('k', 60_000, async () => 'loaded')).toBe('v2');
  } finally {
    await conn.close();
    await otherConn.close();
    await proxy.close();
    await Promise.all([x1.stop(), x2.stop()]);
  }
}, 30_000);
