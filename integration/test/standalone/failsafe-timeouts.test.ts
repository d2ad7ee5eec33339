import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FailSafeWorker, spawnFailSafeWorker } from '../../src/failsafe-protocol.js';
import { plainClient } from '../../src/key-client.js';
import { pollUntil } from '../../src/poll-until.js';

// Issue 11, acceptance 6, across real processes on a real Redis (its own server).

let server: RedisServer;
const workers: FailSafeWorker[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

async function spawn(options: Parameters<typeof spawnFailSafeWorker>[1]) {
  const worker = await spawnFailSafeWorker(server.url, options);
  workers.push(worker);
  return worker;
}

async function stored(key: string): Promise<string | null> {
  const client = await plainClient(server.url);
  try {
    return await client.get(key);
  } finally {
    await client.close();
  }
}

const untilWaiting = (worker: FailSafeWorker) =>
  pollUntil('the other process waits on the lock', async () => {
    const { metrics } = await worker.request({ type: 'stats' });
    return (metrics.lockContended ?? 0) >= 1;
  });

describe('loader timeouts across processes', () => {
  it("acceptance 6: soft timeout — callers get the fallback at softMs; the loader goes on under its renewed lock, and its late value lands in Redis and reaches another process's near cache", async () => {
    const LOCK_TTL = 1_000;
    const SOFT = 300;
    const a = await spawn({
      lockTTLMs: LOCK_TTL,
      failSafe: { maxStaleMs: 60_000 },
      loaderTimeout: { softMs: SOFT },
    });
    const b = await spawn({ lockTTLMs: LOCK_TTL });
    expect((await a.get('soft', { ttlMs: 300, value: 'old' })).values).toEqual(['old']);
    // The ttl passes: the value is gone from Redis, a fallback in a.
    await pollUntil('the value expired in Redis', async () => (await stored('soft')) === null);
    const started = a.loading('soft');
    const late = await a.get('soft', { loader: 'hold', value: 'new', concurrency: 5 });
    await started;
    expect(late.values).toEqual(Array(5).fill('old'));
    expect(late.elapsedMs).toBeGreaterThanOrEqual(SOFT - 1);
    expect(late.metrics['failSafeServed:timeout']).toBe(5);
    expect(late.metrics['loaderTimedOut:soft']).toBe(1);
    const reading = b.get('soft', { value: 'from b' });
    await untilWaiting(b);
    // Past lockTTL the lock still holds: renewed while the loader runs in the background.
    await new Promise((resolve) => setTimeout(resolve, 1.5 * LOCK_TTL));
    expect(await stored('soft')).toMatch(/^__redcache:lock:/);
    await a.request({ type: 'release', key: 'soft' });
    const read = await reading;
    expect(read.values).toEqual(['new']);
    expect(read.loaderCalls.soft).toBeUndefined();
    expect(await stored('soft')).toMatch(/:new$/);
    // In b's near cache now: served without Redis or a loader.
    const again = await b.get('soft', { value: 'from b' });
    expect(again.values).toEqual(['new']);
    expect((await a.request({ type: 'stats' })).loaderCalls.soft).toBe(2);
  });

  it('acceptance 6: hard timeout — callers in this process reject with LoaderTimeoutError, and a waiter in another process takes the lock at once, well before lockTTL', async () => {
    const LOCK_TTL = 10_000;
    const HARD = 300;
    const a = await spawn({ lockTTLMs: LOCK_TTL, loaderTimeout: { hardMs: HARD } });
    const b = await spawn({ lockTTLMs: LOCK_TTL });
    const started = a.loading('hard');
    const timingOut = a.get('hard', { loader: 'hang', concurrency: 3 });
    await started;
    const waiting = b.get('hard', { value: 'from b' });
    await untilWaiting(b);
    const failed = await timingOut;
    const failedAt = performance.now();
    for (const value of failed.values) {
      expect(value).toBe('error:LoaderTimeoutError:redcache: get key "hard": loader timed out after 300 ms');
    }
    expect(failed.aborted.hard).toBe(1);
    expect(failed.metrics['loaderTimedOut:hard']).toBe(1);
    const taken = await waiting;
    const tookOverMs = performance.now() - failedAt;
    expect(taken.values).toEqual(['from b']);
    expect(taken.loaderCalls.hard).toBe(1);
    // A liveness bound below lockTTL: the lock was released, not left to expire.
    expect(tookOverMs).toBeLessThan(LOCK_TTL / 2);
    console.log(
      `hard timeout: the other process had the value ${tookOverMs.toFixed(1)} ms after the callers rejected (lockTTL ${LOCK_TTL} ms)`,
    );
  });
});
