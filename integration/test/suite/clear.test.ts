import { type Cache, JSONCodec, newStringCache, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { invalidated } from '../../src/counting-driver.js';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';
import { scanKeys } from '../../src/scan-keys.js';
import { useWorkers } from '../../src/use-workers.js';

// `clear()` on a prefixed view, against a real Redis and a real cluster (3 masters): every
// key under the prefix goes, nothing else does, and no near cache keeps what was cleared.

const target = inject('redisTarget');
const base = keyPrefix('clear');
const TTL = 600_000;
const workers = useWorkers(target);

const conns: TestConn[] = [];
async function open(options?: Parameters<typeof openConn>[1]): Promise<TestConn> {
  const conn = await openConn(target, options);
  conns.push(conn);
  return conn;
}
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.conn.close()));
});

/** Writes `count` keys `k0…` through `view`, in chunks (one forceSetMulti each). */
async function fill(view: Cache<string, string>, count: number, chunk = 5_000): Promise<void> {
  for (let start = 0; start < count; start += chunk) {
    const values = new Map<string, string>();
    for (let i = start; i < Math.min(count, start + chunk); i++) values.set(`k${i}`, `v${i}`);
    await view.forceSetMulti(values, TTL);
  }
}

/** How many keys Redis holds under `prefix`, on every master (looked at on the servers themselves). */
async function keysUnder(prefix: string): Promise<number> {
  return (await scanKeys(target, `${prefix}*`)).size;
}

describe('clear', () => {
  it('removes 100,000 keys under its prefix, keeps every other key, and no Conn near-caches what it removed', async () => {
    const a = await open();
    const b = await open();
    const prefix = `${base}big:users:`;
    const usersA = newStringCache(a.conn, StringCodec, { prefix });
    const usersB = newStringCache(b.conn, StringCodec, { prefix });
    // Keys outside the prefix: another view's prefix that merely starts the same way, another
    // namespace, and the prefix itself without its separator.
    const users2 = newStringCache(a.conn, StringCodec, { prefix: `${base}big:users2:` });
    const posts = newStringCache(a.conn, StringCodec, { prefix: `${base}big:posts:` });
    const bare = newStringCache(a.conn, StringCodec);
    await fill(usersA, 100_000);
    await fill(users2, 50);
    await fill(posts, 50);
    await bare.forceSet(`${base}big:users`, TTL, 'bare');

    // Both Conns hold a sample in their near cache: a second read sends nothing.
    const sample = Array.from({ length: 200 }, (_, i) => `k${i * 499}`);
    const fromRedis = async (keys: string[]) => new Map(keys.map((k) => [k, 'not-cached']));
    for (const view of [usersA, usersB]) {
      expect(await view.getMulti(sample, TTL, fromRedis)).toEqual(
        new Map(sample.map((k) => [k, `v${k.slice(1)}`])),
      );
    }
    b.driver.reset();
    await usersB.getMulti(sample, TTL, fromRedis);
    expect(b.driver.sent).toHaveLength(0);

    const bHears = invalidated(
      b.driver,
      sample.map((k) => `${prefix}${k}`),
      60_000,
    );
    const progress: number[] = [];
    const removed = await usersA.clear({ onProgress: ({ removed }) => progress.push(removed) });
    expect(removed).toBe(100_000);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(100_000);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(await keysUnder(prefix)).toBe(0);

    // This process misses at once (its near cache dropped each batch); the other one once
    // Redis's pushes for the unlinked keys have reached it.
    const reloaded = async (keys: string[]) => new Map(keys.map((k) => [k, `new-${k}`]));
    expect(await usersA.getMulti(sample, TTL, reloaded)).toEqual(new Map(sample.map((k) => [k, `new-${k}`])));
    await bHears;
    const bLoads: string[][] = [];
    const fromB = await usersB.getMulti(sample, TTL, async (keys) => {
      bLoads.push(keys);
      return reloaded(keys);
    });
    // A's reloads are in Redis by now: B reads them (or loads for itself), never the cleared values.
    for (const [k, value] of fromB) expect(value).toBe(`new-${k}`);
    expect(bLoads.flat().length).toBeLessThanOrEqual(sample.length);

    expect(await keysUnder(`${base}big:users2:`)).toBe(50);
    expect(await keysUnder(`${base}big:posts:`)).toBe(50);
    expect(await bare.peek(`${base}big:users`, TTL)).toEqual({ found: true, value: 'bare' });
    expect(await users2.peek('k7', TTL)).toEqual({ found: true, value: 'v7' });
  });

  it("another process's near cache misses what a clear removed: its next get loads", async () => {
    const prefix = `${base}procs:`;
    const keys = Array.from({ length: 20 }, (_, i) => `item${i}`);
    const [worker] = await workers.spawn(1);
    // The worker's view has no prefix: it names the same Redis keys in full.
    for (const key of keys)
      expect((await workers.get(worker!, `${prefix}${key}`)).loaderCalls).toBeGreaterThan(0);
    const again = await workers.get(worker!, `${prefix}${keys[0]}`);
    expect(again.loaderCalls).toBe(keys.length); // a near-cache (or Redis) hit: no new load
    const { conn } = await open();
    const view = newStringCache(conn, JSONCodec<{ value: string; pid: number }>(), { prefix });
    const before = await workers.stats([worker!]);
    // The workers' load counters live under the prefix too (`<key>:loads`).
    expect(await view.clear()).toBe(keys.length * 2);
    for (const key of keys) await workers.untilHeard([worker!], `${prefix}${key}`, before);
    for (const [index, key] of keys.entries()) {
      const after = await workers.get(worker!, `${prefix}${key}`);
      expect(after.loaderCalls).toBe(keys.length + index + 1);
    }
  });

  it('stops between batches when its signal aborts; a second clear removes the rest', async () => {
    const { conn } = await open();
    const prefix = `${base}abort:`;
    const view = newStringCache(conn, StringCodec, { prefix });
    await fill(view, 10_000);
    const stop = new AbortController();
    const reason = new Error('enough');
    let reported = 0;
    const first = view.clear({
      signal: stop.signal,
      onProgress: ({ removed }) => {
        reported = removed;
        stop.abort(reason);
      },
    });
    await expect(first).rejects.toBe(reason);
    expect(reported).toBeGreaterThan(0);
    const left = await keysUnder(prefix);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(10_000);
    expect(await view.clear()).toBe(left);
    expect(await keysUnder(prefix)).toBe(0);
  });

  it('removes a live loader’s lock: its value is not stored (lockLost) and its callers read again; a waiter elsewhere loads for itself', async () => {
    const metricsA = new CountingMetrics();
    const a = await open({ metrics: metricsA });
    const metricsB = new CountingMetrics();
    const b = await open({ metrics: metricsB });
    const prefix = `${base}locks:`;
    const viewA = newStringCache(a.conn, StringCodec, { prefix });
    const viewB = newStringCache(b.conn, StringCodec, { prefix });
    const held = heldLoader(() => 'from-a');
    const loadingA = viewA.get('k', TTL, held.load);
    await held.started;
    const loadingB = viewB.get('k', TTL, async () => 'from-b');
    await metricsB.reached('lockContended');

    // A's lock goes (and B's, when a later SCAN step finds the lock B took meanwhile).
    const removed = await viewA.clear();
    expect([1, 2]).toContain(removed);
    // B wakes on the UNLINK's push, finds nothing, and loads for itself.
    expect(await loadingB).toBe('from-b');
    held.finish();
    // A's value, loaded before the clear, is dropped: its CAS finds no lock of A's. A's caller
    // reads again and gets what was stored since (B's value); A's loader ran once.
    expect(await loadingA).toBe('from-b');
    expect(held.calls).toBe(1);
    expect(metricsA.count('lockLost')).toBe(1);
    expect(await a.client.get(`${prefix}k`)).toMatch(/from-b$/);
  });

  it('escapes the glob characters of its prefix: a prefix with * and [ matches only itself', async () => {
    const { conn } = await open();
    const literal = newStringCache(conn, StringCodec, { prefix: `${base}g*[a]?:` });
    const lookalike = newStringCache(conn, StringCodec, { prefix: `${base}gX[a]?:` });
    const other = newStringCache(conn, StringCodec, { prefix: `${base}gxa!:` });
    await fill(literal, 20);
    await fill(lookalike, 20);
    await fill(other, 20);
    expect(await literal.clear()).toBe(20);
    expect(await lookalike.peek('k3', TTL)).toEqual({ found: true, value: 'v3' });
    expect(await other.peek('k3', TTL)).toEqual({ found: true, value: 'v3' });
    expect(await lookalike.clear()).toBe(20);
    expect(await other.clear()).toBe(20);
  });

  it('rejects with a TypeError on a view without a prefix, sending nothing', async () => {
    const { conn, driver } = await open();
    const view = newStringCache(conn, StringCodec);
    driver.reset();
    await expect(view.clear()).rejects.toThrow(TypeError);
    expect(driver.sent).toHaveLength(0);
  });
});
