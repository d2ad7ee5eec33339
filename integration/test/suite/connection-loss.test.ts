import { JSONCodec, newStringCache } from '@redcache/core';
import { EventTally } from '@redcache/fleet';
import { describe, expect, inject, it } from 'vitest';
import { invalidated } from '../../src/counting-driver.js';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { killConnections, untilReconnected } from '../../src/kill-connections.js';
import { keyPrefix, openConn, plainClient } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';

const target = inject('redisTarget');
const prefix = keyPrefix('connection-loss');

describe('losing the tracking connection', () => {
  it('wakes waiters, which read again, and serves no stale value after reconnect', async () => {
    const log = new EventTally({ problems: 'ignore' });
    const holder = await openConn(target);
    const metrics = new CountingMetrics();
    const victim = await openConn(target, { logger: log, metrics });
    const admin = await plainClient(target);
    const cached = `${prefix}cached`;
    const locked = `${prefix}locked`;
    const victimCache = newStringCache(victim.conn, JSONCodec<string>());
    const holderCache = newStringCache(holder.conn, JSONCodec<string>());

    expect(await victimCache.get(cached, 60_000, async () => 'before')).toBe('before');
    // The holder's load runs until the test ends it, after the reconnect; the victim waits on it.
    const holding = heldLoader(() => 'loaded-by-holder');
    const held = holderCache.get(locked, 60_000, holding.load);
    await holding.started;
    const waiting = victimCache.get(locked, 60_000, async () => 'victim-must-not-load');
    await metrics.reached('lockContended');

    const killed = await killConnections(victim.tracking);
    // While the victim is disconnected its invalidations are lost: change the cached key now.
    await admin.set(cached, '__redcache:v1:0:"after"', { PX: 60_000 });
    // The victim noticed the loss (its driver reported a flush, which woke the waiter), and reconnected.
    await pollUntil('the victim hears of the loss', () => (log.wakes.flush ?? 0) >= 1);
    await untilReconnected(victim.tracking, killed);

    expect(await victimCache.get(cached, 60_000, async () => 'reloaded')).toBe('after');
    holding.finish();
    expect(await waiting).toBe('loaded-by-holder');
    expect(await held).toBe('loaded-by-holder');

    // Tracking works again on the new connection.
    const heard = invalidated(victim.driver, [cached]);
    await admin.set(cached, '__redcache:v1:0:"later"', { PX: 60_000 });
    await heard;
    expect(await victimCache.get(cached, 60_000, async () => 'reloaded')).toBe('later');

    await Promise.all([holder.conn.close(), victim.conn.close(), admin.close()]);
  });
});
