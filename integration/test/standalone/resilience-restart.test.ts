/**
 * Redis restarted empty on the same port (issue 11, acceptance 4), default options. Worker
 * processes and this one hold a key in their near caches; Redis is killed, the breakers
 * open, and an empty Redis starts on the same port, where a raw client at once rewrites the
 * key. Within the liveness interval + 1 s calls use Redis again; every process reads the key
 * rewritten (never what it held before the outage); 4 processes x 50 callers of a new cold
 * key make one loader call.
 */
import { JSONCodec, newStringCache, RedcacheError } from '@redcache/core';
import { wrapEnvelope } from '@redcache/core/wire';
import { redisCommand, startRedisServer } from '@redcache/redis-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { keyPrefix, openConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { killRedis, type OwnRedis, startRedisOn } from '../../src/resilience-redis.js';
import { useWorkers } from '../../src/use-workers.js';

const prefix = keyPrefix('resilience-restart');
const TTL_MS = 60_000;
/** The driver's default livenessCheck.intervalMs. */
const LIVENESS_INTERVAL_MS = 1_000;
/** Timers, reconnect backoff and scheduling on a loaded machine: a liveness bound, not a speed. */
const MARGIN_MS = 1_500;
const WORKERS = 4;
const CALLERS = 50;

let url = '';
let restarted: OwnRedis | undefined;
const workers = useWorkers(() => url);

afterAll(async () => {
  await restarted?.kill();
});

type Stored = { value: string; pid: number };
const storedText = (value: string) =>
  new TextDecoder().decode(wrapEnvelope(JSON.stringify({ value, pid: 0 } satisfies Stored), 0));

describe('Redis restarted empty on the same port', () => {
  it('calls use Redis again within the liveness interval + 1 s; a key rewritten meanwhile is read fresh everywhere; one loader call for a new key', async () => {
    const server = await startRedisServer();
    url = server.url;
    const pool = await workers.spawn(WORKERS);
    const here = await openConn(url);
    const cache = newStringCache(here.conn, JSONCodec<Stored>());
    const key = `${prefix}rewritten`;
    for (const worker of pool) {
      const result = await workers.get(worker, key, { value: 'before' });
      expect(result.values[0]).toMatch(/^before@/);
    }
    expect((await cache.get(key, TTL_MS, async () => ({ value: 'unused', pid: 0 }))).value).toBe('before');

    await killRedis(server.pid, server.port);
    await pollUntil('the breaker opens here', async () => {
      const error = await cache
        .get(key, TTL_MS, async () => ({ value: 'x', pid: 0 }))
        .catch((e: unknown) => e);
      return RedcacheError.isInstance(error) && error.code === 'E_UNAVAILABLE';
    });
    await pollUntil('the breaker opens in every worker', async () => {
      const results = await Promise.all(pool.map((w) => workers.get(w, `${prefix}probe`)));
      return results.every((r) => /^error:.*unavailable/.test(r.values[0]!));
    });

    restarted = await startRedisOn(server.port);
    const restartedAt = performance.now();
    expect(
      await redisCommand('127.0.0.1', server.port, [
        'SET',
        key,
        storedText('rewritten'),
        'PX',
        String(TTL_MS),
      ]),
    ).toBe('OK');

    // Every answer on the way back, in every process: errors while a breaker is still open,
    // then the rewritten value — never what a near cache held before the outage.
    const seen: string[] = [];
    const backAt = await pollUntil(
      'calls use Redis again here',
      async () => {
        const { value } = await cache.get(key, TTL_MS, async () => ({ value: 'loaded', pid: 0 }));
        seen.push(value);
        return value === 'rewritten';
      },
      { intervalMs: 10 },
    );
    const workersBack = await Promise.all(
      pool.map((worker) =>
        pollUntil(
          'calls use Redis again in a worker',
          async () => {
            const value = (await workers.get(worker, key, { value: 'loaded' })).values[0]!;
            seen.push(value.replace(/@\d+$/, ''));
            return value.startsWith('rewritten@');
          },
          { intervalMs: 10 },
        ),
      ),
    );
    expect(seen.filter((value) => !value.startsWith('error:'))).toEqual(
      seen.filter((v) => v === 'rewritten'),
    );
    const recoveryMs = Math.max(backAt, ...workersBack) - restartedAt;
    console.log(
      `Redis restarted empty on ${server.port}: calls used it again after ${Math.round(backAt - restartedAt)} ms here, ` +
        `${workersBack.map((at) => Math.round(at - restartedAt)).join(', ')} ms in the workers ` +
        `(bound: liveness interval ${LIVENESS_INTERVAL_MS} + 1000 ms)`,
    );
    expect(recoveryMs).toBeLessThanOrEqual(LIVENESS_INTERVAL_MS + 1_000 + MARGIN_MS);

    const coldKey = `${prefix}cold`;
    const results = await Promise.all(
      pool.map((worker) => workers.get(worker, coldKey, { concurrency: CALLERS, loaderMs: 200 })),
    );
    const values = results.flatMap((r) => r.values.map((v) => v.replace(/@\d+$/, '')));
    expect(values).toEqual(Array.from({ length: WORKERS * CALLERS }, () => `value-of-${coldKey}`));
    expect(await workers.loads(coldKey)).toBe(1);
    await here.conn.close();
  }, 60_000);
});
