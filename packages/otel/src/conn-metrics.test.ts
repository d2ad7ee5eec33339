import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { getRedis, type RedisHandle, redisCommand } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtelMetrics } from './create-otel-metrics.js';
import { byName, countsOf, inMemoryProvider, valuesOf } from './test-support/in-memory-metrics.js';

const prefix = `redcache-test:otel:metrics:${randomUUID()}:`;
const key = (name: string) => `${prefix}${name}`;
const users = '{"redcache.cache.name":"users"}';
const orders = '{"redcache.cache.name":"orders"}';
/** The attribute set (as JSON) of a `get` with `outcome` in `view`. */
const call = (outcome: string, view: string) =>
  JSON.stringify({ op: 'get', outcome, 'redcache.cache.name': view });

describe('createOtelMetrics on a real Conn, two named views', () => {
  let redis: RedisHandle;
  let conn: Conn;
  const { provider, collect } = inMemoryProvider();

  const redisCall = (args: string[]) => {
    const { hostname, port } = new URL(redis.url);
    return redisCommand(hostname, Number(port), args);
  };

  beforeAll(async () => {
    redis = await getRedis();
    const metrics = createOtelMetrics({ meterProvider: provider });
    conn = await connect({ url: redis.url }, { metrics, nearCache: { maxEntries: 3 } });
  });
  afterAll(async () => {
    await conn?.close();
    await redis?.stop();
  });

  it('reads back hits, misses and call durations per view, loads, errors, evictions, expirations and the gauges, exact', async () => {
    const usersView = newStringCache(conn, StringCodec, { name: 'users' });
    const ordersView = newStringCache(conn, StringCodec, { name: 'orders' });
    const load = async (id: string) => `value of ${id}`;

    // users: `short` loads with a 100 ms ttl; once Redis has let it go, a get finds the near
    // entry past its ttl (1 expiration) and loads again.
    await usersView.get(key('short'), 100, load);
    // Wait for the near entry's ttl, by the clock, not for Redis to drop the key: the entry went
    // in after the value's PX started on the server, so it outlives the key by that reply's trip,
    // and a push for the key deleted in between (EXISTS deletes an expired key) found it fresh:
    // no expiration (was: polled EXISTS, 0 expirations or a near hit about 1 run in 20). Once the
    // entry is past its ttl, a lookup or a push, whichever comes first, counts it expired.
    const nearExpiredAt = performance.now() + 100 + 2;
    while (performance.now() < nearExpiredAt) await sleep(nearExpiredAt - performance.now());
    await usersView.get(key('short'), '1m', load);
    await usersView.get(key('short'), '1m', load); // near hit
    // orders: one load and a near hit, then a loader that fails.
    await ordersView.get(key('o1'), '1m', load);
    await ordersView.get(key('o1'), '1m', load); // near hit
    await expect(
      ordersView.get(key('broken'), '1m', () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow();
    // The near cache holds 3 (short, o1, and now u2): u3 makes room by evicting u2, the one
    // entry not used since it went in (short and o1 were hit: their second chance).
    await usersView.get(key('u2'), '1m', load);
    await usersView.get(key('u3'), '1m', load);

    const found = byName(await collect());
    expect(valuesOf(found.get('redcache.cache.hits'))).toEqual({ [users]: 1, [orders]: 1 });
    expect(valuesOf(found.get('redcache.cache.misses'))).toEqual({ [users]: 4, [orders]: 1 });
    expect(countsOf(found.get('redcache.call.duration'))).toEqual({
      [call('loaded', 'users')]: 4,
      [call('nearHit', 'users')]: 1,
      [call('loaded', 'orders')]: 1,
      [call('nearHit', 'orders')]: 1,
      [call('error', 'orders')]: 1,
    });
    expect(valuesOf(found.get('redcache.loader.errors'))).toEqual({ [orders]: 1 });
    expect(countsOf(found.get('redcache.loader.duration'))).toEqual({ [users]: 4, [orders]: 2 });
    expect(valuesOf(found.get('redcache.near_cache.evictions'))).toEqual({ '{}': 1 });
    expect(valuesOf(found.get('redcache.near_cache.expirations'))).toEqual({ '{}': 1 });
    expect(valuesOf(found.get('redcache.breaker.state'))).toEqual({
      '{"state":"closed"}': 1,
      '{"state":"open"}': 0,
    });

    // Entries and bytes now: short, o1, u3, each its stored bytes (STRLEN) plus its key.
    const held = [key('short'), key('o1'), key('u3')];
    let bytes = 0;
    for (const name of held) bytes += Number(await redisCall(['STRLEN', name])) + name.length;
    expect(valuesOf(found.get('redcache.near_cache.entries'))).toEqual({ '{}': 3 });
    expect(valuesOf(found.get('redcache.near_cache.size'))).toEqual({ '{}': bytes });
  });

  it('reads back a lock wait, a fail-safe fallback and a loader timeout per view, exact', async () => {
    const meter = inMemoryProvider();
    const metrics = createOtelMetrics({ meterProvider: meter.provider });
    const resilient = await connect(
      { url: redis.url },
      { metrics, failSafe: { maxStaleMs: '1m', throttleMs: 0 }, loaderTimeout: { hardMs: '100ms' } },
    );
    const other = await connect({ url: redis.url });
    try {
      const usersView = newStringCache(resilient, StringCodec, { name: 'users' });
      const ordersView = newStringCache(resilient, StringCodec, { name: 'orders' });
      // orders waits for a lock the other connection holds while it loads.
      let waiting: Promise<string> | undefined;
      await newStringCache(other, StringCodec).get(key('held'), '1m', async () => {
        waiting = ordersView.get(key('held'), '1m', async () => 'loaded by orders');
        await sleep(100);
        return 'loaded elsewhere';
      });
      expect(await waiting).toBe('loaded elsewhere');
      // users: once its value's ttl ran out, its loader fails and the fallback is served.
      await usersView.get(key('stale'), 100, async () => 'first');
      while ((await redisCall(['EXISTS', key('stale')])) === 1) await sleep(20);
      expect(await usersView.get(key('stale'), '1m', () => Promise.reject(new Error('db down')))).toBe(
        'first',
      );
      // users: a loader past the hard timeout, with no fallback.
      await expect(usersView.get(key('slow'), '1m', () => sleep(1_000, 'late'))).rejects.toThrow();

      const found = byName(await meter.collect());
      expect(valuesOf(found.get('redcache.lock.contended'))).toEqual({ [orders]: 1 });
      expect(countsOf(found.get('redcache.lock.wait.duration'))).toEqual({ [orders]: 1 });
      expect(valuesOf(found.get('redcache.failsafe.served'))).toEqual({
        '{"cause":"loader","redcache.cache.name":"users"}': 1,
      });
      expect(valuesOf(found.get('redcache.loader.timeouts'))).toEqual({
        '{"kind":"hard","redcache.cache.name":"users"}': 1,
      });
      expect(countsOf(found.get('redcache.call.duration'))).toEqual({
        [call('waited', 'orders')]: 1,
        [call('loaded', 'users')]: 1,
        [call('fallback', 'users')]: 1,
        [call('error', 'users')]: 1,
      });
    } finally {
      await Promise.all([resilient.close(), other.close()]);
    }
  });
});
