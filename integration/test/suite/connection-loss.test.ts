import { JSONCodec, newStringCache } from '@redcache/core';
import { EventTally } from '@redcache/fleet';
import { describe, expect, inject, it } from 'vitest';
import { killConnections, untilReconnected } from '../../src/kill-connections.js';
import { keyPrefix, openConn, plainClient, sleep } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('connection-loss');

describe('losing the tracking connection', () => {
  it('wakes waiters, which read again, and serves no stale value after reconnect', async () => {
    const log = new EventTally({ problems: 'ignore' });
    const holder = await openConn(target);
    const victim = await openConn(target, { logger: log });
    const admin = await plainClient(target);
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

    await killConnections(victim.tracking);
    // While the victim is disconnected its invalidations are lost: change the cached key now.
    await admin.set(cached, '__redcache:v1:0:"after"', { PX: 60_000 });
    await sleep(20);
    await untilReconnected(victim.tracking);
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
});
