import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { type FailSafeWorker, spawnFailSafeWorker } from '../../src/failsafe-protocol.js';
import { pollUntil } from '../../src/poll-until.js';

// Issue 11, acceptance 3: Redis killed under two processes with whenRedisIsDown 'load' and
// fail-safe. On its own server: the test kills it.

const COMMAND_TIMEOUT_MS = 1_000;
let server: RedisServer | undefined;
const workers: FailSafeWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await server?.stop();
  server = undefined;
});

const stats = (pool: readonly FailSafeWorker[]) => Promise.all(pool.map((w) => w.request({ type: 'stats' })));

describe('Redis killed mid-run', () => {
  it("acceptance 3: whenRedisIsDown 'load' — 100 concurrent gets of a cold key call the loader once in each of 2 processes and all get its value; a warm key with failSafe is served its fallback with no loader call, without waiting for a command timeout", async () => {
    server = await startRedisServer();
    const options = {
      whenRedisIsDown: 'load',
      failSafe: { maxStaleMs: 60_000 },
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    } as const;
    workers.push(...(await Promise.all([0, 1].map(() => spawnFailSafeWorker(server!.url, options)))));
    for (const w of workers)
      expect((await w.get('warm', { value: 'warm value' })).values).toEqual(['warm value']);
    // One of them loaded it; the other read it from Redis.
    const warmLoads = (await stats(workers)).map((s) => s.loaderCalls.warm ?? 0);
    expect(warmLoads.reduce((a, b) => a + b)).toBe(1);

    process.kill(server.pid, 'SIGKILL');
    await pollUntil('both processes find Redis down', async () =>
      (await stats(workers)).every((s) => (s.metrics.redisDown ?? 0) >= 1),
    );

    const cold = await Promise.all(
      workers.map((w) => w.get('cold', { concurrency: 100, value: 'cold value' })),
    );
    for (const result of cold) {
      expect(result.values).toEqual(Array(100).fill('cold value'));
      expect(result.loaderCalls.cold).toBe(1);
      expect(result.metrics.degradedLoads).toBe(1);
    }

    const warm = await Promise.all(workers.map((w) => w.get('warm', { value: 'loaded again' })));
    for (const [i, result] of warm.entries()) {
      expect(result.values).toEqual(['warm value']);
      expect(result.loaderCalls.warm ?? 0).toBe(warmLoads[i]);
      expect(result.metrics['failSafeServed:redis']).toBeGreaterThanOrEqual(1);
      // A liveness bound, not a speed figure: it did not wait for a command timeout.
      expect(result.elapsedMs).toBeLessThan(COMMAND_TIMEOUT_MS);
    }
    console.log(
      `fail-safe during the outage: warm key served its fallback in ${warm.map((r) => `${r.elapsedMs.toFixed(2)} ms`).join(' and ')}; cold key: 100 callers, 1 loader call, in ${cold.map((r) => `${r.elapsedMs.toFixed(1)} ms`).join(' and ')}`,
    );
  });
});
