/**
 * Redis killed while the app runs (issue 11, acceptance 2), on a server of this file's own,
 * default options: commandTimeoutMs 1 000, breaker { timeouts 3, probeIntervalMs 1 000 }, the
 * driver's liveness check { intervalMs 1 000, timeoutMs 1 000 }. Conn A holds a key's lock
 * (its loader held open) while Conn B's callers wait on it, and A's near cache is warm. Every
 * pending and new call must settle, with a value or a typed error naming the server, within
 * commandTimeoutMs + the liveness interval; once the breaker is open, calls fail at once.
 */
import { newStringCache, RedcacheError, StringCodec } from '@redcache/core';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { CallWatch } from '../../src/resilience-calls.js';
import { killRedis } from '../../src/resilience-redis.js';
import { settleWithin } from '../../src/settle-within.js';

const prefix = keyPrefix('resilience-killed');
const TTL_MS = 60_000;
/** The defaults this file relies on (core's commandTimeoutMs, the driver's livenessCheck.intervalMs). */
const COMMAND_TIMEOUT_MS = 1_000;
const LIVENESS_INTERVAL_MS = 1_000;
/** Timers and scheduling on a loaded machine: a liveness bound, not a speed. */
const MARGIN_MS = 1_000;
const WARM_KEYS = 5;
const WAITERS = 20;
const FAST_CALLS = 1_000;

describe('Redis killed with warm near caches and waiting callers (default options)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('every pending and new call settles within commandTimeoutMs + the liveness interval, typed and naming the server; then calls fail fast', async () => {
    const address = `127.0.0.1:${server.port}`;
    const a = await openConn(server.url);
    const bMetrics = new CountingMetrics();
    const b = await openConn(server.url, { metrics: bMetrics });
    const ca = newStringCache(a.conn, StringCodec);
    const cb = newStringCache(b.conn, StringCodec);
    const warm = Array.from({ length: WARM_KEYS }, (_, i) => `${prefix}warm-${i}`);
    for (const key of warm) expect(await ca.get(key, TTL_MS, async () => 'warm')).toBe('warm');
    const cold = `${prefix}cold`;
    const held = heldLoader(() => 'held');
    const calls = new CallWatch();
    calls.watch(ca.get(cold, TTL_MS, held.load));
    await held.started;
    for (let i = 0; i < WAITERS; i++) calls.watch(cb.get(cold, TTL_MS, async () => 'from-b'));
    await bMetrics.reached('lockContended'); // B's flight for the key waits on A's lock

    calls.mark();
    await killRedis(server.pid, server.port);
    for (const key of warm) calls.watch(ca.get(key, TTL_MS, async () => 'reloaded'));
    for (let i = 0; i < 10; i++) {
      calls.watch(ca.get(`${prefix}new-a-${i}`, TTL_MS, async () => 'new'));
      calls.watch(cb.get(`${prefix}new-b-${i}`, TTL_MS, async () => 'new'));
    }
    held.finish();
    const boundMs = COMMAND_TIMEOUT_MS + LIVENESS_INTERVAL_MS;
    await settleWithin('every call', boundMs + MARGIN_MS + 10_000, calls.drained());
    console.log(
      [
        `Redis ${address} killed: ${calls.settled.length} calls settled within ${Math.round(calls.slowestMs)} ms ` +
          `(bound commandTimeoutMs ${COMMAND_TIMEOUT_MS} + liveness interval ${LIVENESS_INTERVAL_MS} = ${boundMs} ms)`,
        ...[...calls.tally()].map(([outcome, n]) => `  ${n} x ${outcome}`),
      ].join('\n'),
    );
    expect(calls.slowestMs).toBeLessThanOrEqual(boundMs + MARGIN_MS);
    for (const { ok, outcome } of calls.settled) {
      if (ok) {
        // A's load (its callers keep the loaded value), or a warm key asked before the loss was seen.
        expect(['held', 'warm']).toContain(outcome);
        continue;
      }
      expect(outcome).toMatch(/^E_(TIMEOUT|UNAVAILABLE|REDIS) /);
      if (!outcome.startsWith('E_REDIS')) expect(outcome).toContain(address);
    }
    expect(calls.settled.some((s) => !s.ok)).toBe(true);

    // Once the breaker is open: calls fail at once, sending nothing.
    await pollUntil('A is down', async () => {
      const error = await ca.get(`${prefix}probe`, TTL_MS, async () => 'x').catch((e: unknown) => e);
      return RedcacheError.isInstance(error) && error.code === 'E_UNAVAILABLE';
    });
    const sent = a.driver.sent.length;
    const times: number[] = [];
    for (let i = 0; i < FAST_CALLS; i++) {
      const start = performance.now();
      const error = await ca.get(`${prefix}fast-${i % 10}`, TTL_MS, async () => 'x').catch((e: unknown) => e);
      times.push(performance.now() - start);
      expect(RedcacheError.isInstance(error) && error.code).toBe('E_UNAVAILABLE');
      expect(String((error as Error).message)).toContain(address);
    }
    expect(a.driver.sent.length).toBe(sent);
    times.sort((x, y) => x - y);
    console.log(
      `breaker open: ${FAST_CALLS} gets failed fast, median ${times[FAST_CALLS / 2]!.toFixed(3)} ms, ` +
        `p99 ${times[Math.floor(FAST_CALLS * 0.99)]!.toFixed(3)} ms, max ${times.at(-1)!.toFixed(3)} ms`,
    );

    // Nothing hangs: both close within their bound.
    await settleWithin('close', 5_000, Promise.all([a.conn.close(), b.conn.close()]));
  });
});
