import { JSONCodec, newStringCache } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { useWorkers } from '../../src/use-workers.js';

const target = inject('redisTarget');
const prefix = keyPrefix('cross-process-writes');
const k = (name: string) => `${prefix}${name}`;
const workers = useWorkers(target, { value: 'loaded-by-worker' });
const { spawn, get, loads } = workers;
let t: TestConn;

type Entry = { value: string; pid: number };
const cacheOf = (conn: TestConn) => newStringCache(conn.conn, JSONCodec<Entry>());

beforeAll(async () => {
  t = await openConn(target);
});
afterAll(async () => {
  await t.conn.close();
});

describe('writes across processes', () => {
  it('set: readers in other processes that arrive meanwhile wait and get the new value, never the lock', async () => {
    const key = k('set');
    const pool = await spawn(2);
    await cacheOf(t).forceSet(key, 60_000, { value: 'old', pid: 0 });
    const loader = heldLoader(() => ({ value: 'new', pid: 0 }));
    const writing = cacheOf(t).set(key, 60_000, loader.load);
    await loader.started;
    const reading = Promise.all(pool.map((w) => get(w, key, { concurrency: 5 })));
    // Every process's readers wait on the write lock before the write ends.
    await workers.untilWaiting(pool);
    loader.finish();
    const reads = await reading;
    await writing;
    for (const r of reads) expect(r.values).toEqual(Array(5).fill('new@0'));
    expect(await loads(key)).toBe(0);
  });

  it("forceSet while another process's get is loading: that get returns the forced value; lockLost fires there", async () => {
    const key = k('force');
    const [loader] = await spawn(1);
    const loading = loader!.loading(key);
    const pending = get(loader!, key, { hold: true });
    await loading;
    await cacheOf(t).forceSet(key, 60_000, { value: 'forced', pid: 0 });
    await workers.release([loader!], key);
    const result = await pending;
    expect(result.values).toEqual(['forced@0']);
    expect(result.metrics.lockLost).toBe(1);
    expect(await t.client.get(key)).toBe('__redcache:v1:0:{"value":"forced","pid":0}');
  });

  it("del and delMulti: every process's near cache drops the keys; the next get loads", async () => {
    const keys = [k('d1'), k('d2'), k('d3')];
    const pool = await spawn(3);
    for (const key of keys) for (const w of pool) await get(w, key);
    for (const key of keys) expect(await loads(key)).toBe(1);
    const before = await workers.stats(pool);
    await cacheOf(t).del(keys[0]!);
    await cacheOf(t).delMulti(keys.slice(1));
    for (const key of keys) await workers.untilHeard(pool, key, before);
    for (const key of keys) {
      const after = await Promise.all(pool.map((w) => get(w, key, { loaderMs: 50 })));
      expect(new Set(after.map((r) => r.values[0])).size).toBe(1);
      expect(await loads(key)).toBe(2);
    }
  });

  it('touch: other processes re-read the key with its new TTL', async () => {
    const key = k('touch');
    const [reader] = await spawn(1);
    // Long enough that the reader reads the key before it expires, even on a slow machine.
    const SHORT_TTL_MS = 1000;
    await cacheOf(t).forceSet(key, SHORT_TTL_MS, { value: 'short-lived', pid: 0 });
    expect((await get(reader!, key)).values).toEqual(['short-lived@0']);
    const before = await workers.stats([reader!]);
    await cacheOf(t).touch(key, 60_000);
    expect(await t.client.pTTL(key)).toBeGreaterThan(30_000);
    await workers.untilHeard([reader!], key, before);
    // A sleep: time passing is the property — past the old ttl, the reader still has the key.
    await sleep(SHORT_TTL_MS + 200);
    expect((await get(reader!, key)).values).toEqual(['short-lived@0']);
    expect(await loads(key)).toBe(0);
  });
});

describe('refresh-ahead across processes', () => {
  it('4 processes reading the same key below its floor: exactly one refresh loader call; the others skip', async () => {
    const key = k('refresh');
    // ttl 10 s, due after 300 ms: time passing makes it due, and leaves seconds before it expires.
    const ttlMs = 10_000;
    const DUE_MS = 300;
    const pool = await spawn(4, { refreshAfterFraction: DUE_MS / ttlMs, refreshBeta: 0 });
    await get(pool[0]!, key, { ttlMs });
    for (const w of pool.slice(1)) await get(w, key, { ttlMs });
    expect(await loads(key)).toBe(1);
    // A sleep: time passing is what makes the value due; no event says so.
    await sleep(DUE_MS + 100);
    // The refresh loader is held: whichever process took the refresh lock keeps it while the others try.
    const results = await Promise.all(pool.map((w) => get(w, key, { ttlMs, hold: true })));
    for (const r of results) expect(r.values[0]).toMatch(/^loaded-by-worker@/);
    const total = async (name: string) =>
      (await workers.stats(pool)).reduce((n, r) => n + (r.metrics[name] ?? 0), 0);
    await pollUntil('three processes skip the refresh', async () => (await total('refreshSkipped')) === 3);
    expect(await loads(key)).toBe(2);
    await workers.release(pool, key);
    await pollUntil(
      'the refresh ends',
      async () => (await t.client.exists(`__redcache:refresh:{${key}}`)) === 0,
    );
    expect(await loads(key)).toBe(2);
    expect(await total('refreshTriggered')).toBe(4);
    expect(await total('refreshSkipped')).toBe(3);
  });
});
