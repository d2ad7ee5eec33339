import { JSONCodec, newStringCache, StringCodec } from '@redcache/core';
import { EventTally } from '@redcache/fleet';
import { startRedisServer } from '@redcache/redis-harness';
import { describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, plainClient, sleep } from '../src/open-conn.js';

const url = inject('redisUrl');
const prefix = keyPrefix('connection-loss');

async function untilReady(client: { isReady: boolean }): Promise<void> {
  for (let i = 0; i < 200 && !client.isReady; i++) await sleep(10);
  expect(client.isReady).toBe(true);
}

describe('losing the tracking connection', () => {
  it('wakes waiters, which read again, and serves no stale value after reconnect', async () => {
    const log = new EventTally({ problems: 'ignore' });
    const holder = await openConn(url);
    const victim = await openConn(url, { logger: log });
    const admin = await plainClient(url);
    const cached = `${prefix}cached`;
    const locked = `${prefix}locked`;
    const victimCache = newStringCache(victim.conn, JSONCodec<string>());
    const holderCache = newStringCache(holder.conn, JSONCodec<string>());

    expect(await victimCache.get(cached, 60_000, async () => 'before')).toBe('before');
    const held = holderCache.get(locked, 60_000, async () => {
      await sleep(600);
      return 'loaded-by-holder';
    });
    await sleep(50);
    const waiting = victimCache.get(locked, 60_000, async () => 'victim-must-not-load');
    await sleep(50);

    const id = await victim.client.clientId();
    await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    // While the victim is disconnected its invalidations are lost: change the cached key now.
    await admin.set(cached, '__redcache:v1:0:"after"', { PX: 60_000 });
    await sleep(20);
    await untilReady(victim.client);
    expect(log.wakes.flush ?? 0).toBeGreaterThanOrEqual(1);

    expect(await victimCache.get(cached, 60_000, async () => 'reloaded')).toBe('after');
    expect(await waiting).toBe('loaded-by-holder');
    expect(await held).toBe('loaded-by-holder');

    // Tracking works again on the new connection.
    await admin.set(cached, '__redcache:v1:0:"later"', { PX: 60_000 });
    await sleep(50);
    expect(await victimCache.get(cached, 60_000, async () => 'reloaded')).toBe('later');

    await Promise.all([holder.conn.close(), victim.conn.close(), admin.close()]);
  });

  it('FLUSHALL (a null invalidation) drops every near-cache entry', async () => {
    const server = await startRedisServer();
    try {
      const t = await openConn(server.url);
      const cache = newStringCache(t.conn, StringCodec);
      const keys = [`${prefix}flush-a`, `${prefix}flush-b`];
      for (const key of keys) await cache.get(key, 60_000, async () => 'before');
      await t.client.sendCommand(['FLUSHALL']);
      await sleep(50);
      for (const key of keys) expect(await cache.get(key, 60_000, async () => 'reloaded')).toBe('reloaded');
      await t.conn.close();
    } finally {
      await server.stop();
    }
  });
});
