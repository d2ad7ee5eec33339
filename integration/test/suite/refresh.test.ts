import { newStringCache, type Options, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('refresh');
const k = (name: string) => `${prefix}${name}`;
const opened: TestConn[] = [];

/** A connection with refresh-ahead on: below half its ttl a hit refreshes (deterministically). */
async function refreshing(options: Options = {}) {
  const metrics = new CountingMetrics();
  const t = await openConn(target, { refreshAfterFraction: 0.5, refreshBeta: 0, metrics, ...options });
  opened.push(t);
  return { t, metrics, cache: newStringCache(t.conn, StringCodec) };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.conn.close()));
});

/** Waits until `check` holds (polling), or fails after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('refresh-ahead', () => {
  it('a hit below the floor returns the cached value at once and refreshes it everywhere in the background', async () => {
    const { t, cache, metrics } = await refreshing();
    const other = await refreshing();
    const key = k('basic');
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(50);
      return `v${loads}`;
    };
    expect(await cache.get(key, 1000, loader)).toBe('v1');
    expect(await other.cache.get(key, 1000, async () => 'other')).toBe('v1');
    await sleep(600);
    const started = performance.now();
    expect(await cache.get(key, 1000, loader)).toBe('v1');
    expect(performance.now() - started).toBeLessThan(20);
    expect(metrics.count('refreshTriggered')).toBe(1);
    await until(async () => (await t.client.get(key))?.endsWith(':v2') ?? false);
    expect(await cache.get(key, 1000, loader)).toBe('v2');
    // The other connection hears of the write by its own push, which may land a moment later.
    await until(async () => (await other.cache.get(key, 1000, async () => 'other')) === 'v2');
    expect(loads).toBe(2);
  });

  it('a full queue drops the job (refreshDropped); the value keeps being served', async () => {
    const { cache, metrics } = await refreshing({ refreshWorkers: 1, refreshQueueSize: 1 });
    const keys = [k('q1'), k('q2'), k('q3')];
    const slow = async () => {
      await sleep(200);
      return 'fresh';
    };
    for (const key of keys) await cache.get(key, 1000, async () => 'stale');
    await sleep(600);
    for (const key of keys) expect(await cache.get(key, 1000, slow)).toBe('stale');
    expect(metrics.count('refreshTriggered')).toBe(2);
    expect(metrics.count('refreshDropped')).toBe(1);
  });

  it('never overwrites a newer write, a lock, or recreates a deleted key', async () => {
    const { t, cache } = await refreshing();
    const key = { forced: k('w-forced'), locked: k('w-locked'), deleted: k('w-deleted') };
    for (const x of Object.values(key)) await cache.get(x, 1000, async () => 'old');
    await sleep(600);
    const slow = async () => {
      await sleep(200);
      return 'refreshed';
    };
    for (const x of Object.values(key)) expect(await cache.get(x, 1000, slow)).toBe('old');
    await sleep(50);
    await cache.forceSet(key.forced, 60_000, 'forced');
    await t.client.set(key.locked, '__redcache:lock:other:1', { PX: 5000 });
    await cache.del(key.deleted);
    await sleep(400);
    expect(await t.client.get(key.forced)).toBe('__redcache:v1:0:forced');
    expect(await t.client.get(key.locked)).toBe('__redcache:lock:other:1');
    expect(await t.client.exists(key.deleted)).toBe(0);
  });

  it('a rejecting loader counts refreshError, a throwing one refreshPanicked; the old value stays, workers go on', async () => {
    const { t, cache, metrics } = await refreshing({ refreshWorkers: 1 });
    const rejecting = k('e-reject');
    const throwing = k('e-throw');
    const healthy = k('e-ok');
    for (const x of [rejecting, throwing, healthy]) await cache.get(x, 1000, async () => 'old');
    await sleep(600);
    await cache.get(rejecting, 1000, async () => {
      throw new Error('origin down');
    });
    await cache.get(throwing, 1000, (() => {
      throw new Error('bug');
    }) as unknown as () => Promise<string>);
    await cache.get(healthy, 1000, async () => 'new');
    await until(async () => (await t.client.get(healthy))?.endsWith(':new') ?? false);
    expect(metrics.keys.refreshError).toEqual([rejecting]);
    expect(metrics.keys.refreshPanicked).toEqual([throwing]);
    expect(await t.client.get(rejecting)).toMatch(/:old$/);
    expect(await t.client.get(throwing)).toMatch(/:old$/);
  });

  it('a refresh slower than lockTTL but within refreshTimeoutMs is written; no second refresh starts meanwhile', async () => {
    // ttl 3 s, refresh below 2.7 s left: due after 300 ms; the loader (700 ms) outlives lockTTL (200 ms).
    const options = { lockTTLMs: 200, refreshTimeoutMs: 3000, refreshAfterFraction: 0.1 };
    const one = await refreshing(options);
    const two = await refreshing(options);
    const key = k('slow');
    await one.cache.get(key, 3000, async () => 'old');
    expect(await two.cache.get(key, 3000, async () => 'x')).toBe('old');
    await sleep(350);
    let calls = 0;
    const slow = async () => {
      calls++;
      await sleep(700);
      return 'slow-new';
    };
    expect(await one.cache.get(key, 3000, slow)).toBe('old');
    await sleep(400);
    expect(await two.cache.get(key, 3000, slow)).toBe('old');
    await until(async () => (await one.t.client.get(key))?.endsWith(':slow-new') ?? false);
    expect(calls).toBe(1);
    expect(two.metrics.count('refreshSkipped')).toBe(1);
    expect(one.metrics.keys.refreshError).toBeUndefined();
  });

  it('getMulti triggers one job with one loader call for its stale keys', async () => {
    const { t, cache } = await refreshing();
    const keys = [k('m1'), k('m2'), k('m3')];
    await cache.getMulti(keys, 1000, async (ks) => new Map(ks.map((x) => [x, 'old'])));
    await sleep(600);
    const calls: string[][] = [];
    const result = await cache.getMulti(keys, 1000, async (ks) => {
      calls.push([...ks]);
      return new Map(ks.map((x) => [x, 'new']));
    });
    expect([...result.values()]).toEqual(['old', 'old', 'old']);
    await until(async () => (await t.client.get(keys[2]!))?.endsWith(':new') ?? false);
    expect(calls.length).toBe(1);
    expect([...calls[0]!].sort()).toEqual([...keys].sort());
  });

  it('close() during refreshes: queued jobs dropped, loader signals aborted, nothing runs after it resolves', async () => {
    // ttl 5 s, due below 4.5 s left: after 500 ms. The loader ignores its signal.
    const options = { refreshWorkers: 1, refreshQueueSize: 4, refreshAfterFraction: 0.1 };
    const { t, cache, metrics } = await refreshing(options);
    const keys = [k('c1'), k('c2'), k('c3')];
    for (const key of keys) await cache.get(key, 5000, async () => 'old');
    await sleep(550);
    const signals: AbortSignal[] = [];
    const stubborn = async (_key: string, ctx: { signal: AbortSignal }) => {
      signals.push(ctx.signal);
      await sleep(300);
      return 'never-written';
    };
    for (const key of keys) await cache.get(key, 5000, stubborn);
    await sleep(20);
    const started = performance.now();
    await t.conn.close();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(metrics.count('refreshDropped')).toBe(2);
    const observer = await openConn(target);
    opened.push(observer);
    await sleep(400);
    for (const key of keys) expect(await observer.client.get(key)).toMatch(/:old$/);
  });
});
