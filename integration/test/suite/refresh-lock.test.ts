import { once } from 'node:events';
import { newStringCache, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { keyPrefix, openConn, plainClient, sleep } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { spawnRefreshWorker } from '../../src/spawn-refresh-worker.js';

// Issue 10, defect 17 (acceptance 4): the refresh lock `<refreshLockPrefix>{<key>}` is written
// `PX lockTTL`, as the Go library writes it, and renewed while the refresh runs — not `PX
// max(lockTTL, refresh timeout)`, with which a process that died mid-refresh blocked refresh of
// the key for up to the data ttl.

const target = inject('redisTarget');
const prefix = keyPrefix('refresh-lock');
/** The data ttl of the calls: before the fix, the refresh lock lived this long. */
const TTL = 60_000;
/** In Redis before the refresh: a third of the ttl left, so a hit is due for refresh. */
const STALE = '__redcache:v1:0:stale';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A refresh-lock prefix nobody else uses, and the refresh lock of `key` under it. */
function refreshLockOf(key: string) {
  const refreshLockPrefix = `__redcache:refresh:${process.pid}-${Date.now().toString(36)}:`;
  return { refreshLockPrefix, lockKey: `${refreshLockPrefix}{${key}}` };
}

async function client() {
  const c = await plainClient(target);
  cleanups.push(() => c.close());
  return c;
}

describe('the refresh lock (issue 10, defect 17)', () => {
  it('is written PX lockTTL and renewed while a slow refresh loader runs, then released', async () => {
    const LOCK_TTL_MS = 300;
    const key = `${prefix}renewed`;
    const { refreshLockPrefix, lockKey } = refreshLockOf(key);
    const redis = await client();
    await redis.set(key, STALE, { PX: TTL / 3 });
    const t = await openConn(target, {
      lockTTLMs: LOCK_TTL_MS,
      refreshLockPrefix,
      refreshAfterFraction: 0.5,
      refreshBeta: 0,
    });
    cleanups.push(() => t.conn.close());
    const cache = newStringCache(t.conn, StringCodec);
    let started!: () => void;
    let finish!: (value: string) => void;
    const loading = new Promise<void>((resolve) => {
      started = resolve;
    });
    expect(
      await cache.get(key, TTL, () => {
        started();
        return new Promise<string>((resolve) => {
          finish = resolve;
        });
      }),
    ).toBe('stale');
    await loading;
    // The lock was taken just before the loader was called.
    const takenBy = performance.now();
    const first = await redis.pTTL(lockKey);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(LOCK_TTL_MS);
    // Sampled while the loader runs, for three lockTTLs: never more than lockTTL, and back up
    // after each renewal (every lockTTL / 3) — the lock outlives its first lockTTL by far.
    const samples = [first];
    while (performance.now() - takenBy < 3 * LOCK_TTL_MS) {
      await sleep(20);
      samples.push(await redis.pTTL(lockKey));
    }
    const rises = samples.filter((pttl, i) => i > 0 && pttl > samples[i - 1]!).length;
    console.log(
      `refresh lock PTTL: ${first} ms at the loader's start; over ${samples.length} samples in ` +
        `${Math.round(performance.now() - takenBy)} ms, min ${Math.min(...samples)}, max ` +
        `${Math.max(...samples)}, renewed (went up) ${rises} times`,
    );
    expect(Math.max(...samples)).toBeLessThanOrEqual(LOCK_TTL_MS);
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(rises).toBeGreaterThanOrEqual(1);
    // Still there after more than 2 × lockTTL: renewed, not expired.
    expect(performance.now() - takenBy).toBeGreaterThan(2 * LOCK_TTL_MS);
    expect(await redis.pTTL(lockKey)).toBeGreaterThan(0);
    finish('fresh');
    await pollUntil(
      'the refresh is written back',
      async () => (await redis.get(key))?.endsWith(':fresh') ?? false,
    );
    await pollUntil('the refresh lock is released', async () => (await redis.exists(lockKey)) === 0);
  });

  it('of a process killed mid-refresh stops blocking refresh of the key within lockTTL', async () => {
    const LOCK_TTL_MS = 400;
    const key = `${prefix}killed`;
    const { refreshLockPrefix, lockKey } = refreshLockOf(key);
    const redis = await client();
    await redis.set(key, STALE, { PX: TTL / 3 });
    const worker = await spawnRefreshWorker(target, { lockTTLMs: LOCK_TTL_MS, refreshLockPrefix });
    cleanups.push(() => worker.close());
    const refreshing = worker.nextEvent((event) => event.key === key);
    expect(await worker.request({ type: 'hit', key, ttlMs: TTL })).toEqual({
      type: 'served',
      value: 'stale',
    });
    await refreshing;
    const pttlInWorker = await redis.pTTL(lockKey);
    expect(pttlInWorker).toBeGreaterThan(0);
    expect(pttlInWorker).toBeLessThanOrEqual(LOCK_TTL_MS);

    // Another process, ready to refresh the key: each hit offers a refresh job.
    const metrics = new CountingMetrics();
    const other = await openConn(target, {
      lockTTLMs: LOCK_TTL_MS,
      refreshLockPrefix,
      refreshAfterFraction: 0.5,
      refreshBeta: 0,
      metrics,
    });
    cleanups.push(() => other.conn.close());
    const cache = newStringCache(other.conn, StringCodec);
    let refreshedAt: number | undefined;
    const loader = async () => {
      refreshedAt ??= performance.now();
      return 'fresh';
    };

    const exited = once(worker.process, 'exit');
    const killedAt = performance.now();
    worker.kill();
    await exited;
    const pttlAtKill = await redis.pTTL(lockKey);
    // The bound: lockTTL, and a generous margin for a loaded machine (before the fix: 60 s).
    await pollUntil(
      'another process refreshes the key',
      async () => {
        await cache.get(key, TTL, loader);
        return refreshedAt !== undefined;
      },
      { timeoutMs: LOCK_TTL_MS + 5_000, intervalMs: 25 },
    );
    const blockedMs = refreshedAt! - killedAt;
    console.log(
      `killed refresh: lock PTTL ${pttlInWorker} ms in the worker, ${pttlAtKill} ms once it was dead; ` +
        `another process's refresh ran ${Math.round(blockedMs)} ms after the kill ` +
        `(${metrics.count('refreshSkipped')} refreshes skipped meanwhile)`,
    );
    expect(blockedMs).toBeLessThanOrEqual(LOCK_TTL_MS + 5_000);
    await pollUntil(
      'the refresh is written back',
      async () => (await redis.get(key))?.endsWith(':fresh') ?? false,
    );
  });
});
