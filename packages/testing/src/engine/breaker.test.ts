import { RedisCommandError, RedisUnavailableError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, stateOf, useFakeTimedServer } from '../test-support/engine-process.js';
import { ResilienceMetrics } from '../test-support/resilience-metrics.js';

// The Conn's breaker (issue 11), on the memory server with fake timers.

const env = useFakeTimedServer({ commandTimeoutMs: 100, breaker: { timeouts: 3, probeIntervalMs: 500 } });

const loaded = async () => 'loaded';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** Opens A's breaker with three timeouts in a row (its replies held). */
async function timeOutThrice(a: ReturnType<typeof env.start>): Promise<void> {
  a.driver.pause();
  for (const key of ['t1', 't2', 't3']) {
    const timedOut = rejectionOf(a.cache.get(key, 60_000, loaded));
    await vi.advanceTimersByTimeAsync(100);
    await timedOut;
  }
}

describe('the breaker', () => {
  it('opens after breaker.timeouts timeouts in a row: calls then fail at once, sending nothing, with RedisUnavailableError', async () => {
    const metrics = new ResilienceMetrics();
    const a = env.start({ metrics });
    await timeOutThrice(a);
    expect(metrics.events).toEqual(['timeout:get', 'timeout:get', 'timeout:get', 'down:timeouts']);
    expect(a.log.records.filter((r) => r.level === 'warn').map((r) => r.attributes?.reason)).toEqual([
      'timeouts',
    ]);

    const sent = a.driver.sent.length;
    const since = Date.now();
    const getting = a.cache.get('user:1', 60_000, loaded);
    getting.catch(() => {});
    await flush(); // microtasks only: the clock does not move
    expect(await stateOf(getting)).toBe('rejected');
    const error = (await rejectionOf(getting)) as RedisUnavailableError;
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.code).toBe('E_UNAVAILABLE');
    expect(error.op).toBe('get');
    expect(error.key).toBe('user:1');
    expect(error.reason).toBe('timeouts');
    expect(error.since).toBeLessThanOrEqual(since);
    await expect(a.cache.forceSet('w', 60_000, 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(a.driver.sent.length).toBe(sent);
  });

  it('a probe answered closes it: redisUp, and what the near cache held before the outage is read fresh', async () => {
    const metrics = new ResilienceMetrics();
    const a = env.start({ metrics });
    const b = env.start();
    await b.cache.forceSet('k', 60_000, 'before');
    expect(await a.cache.get('k', 60_000, loaded)).toBe('before'); // now in A's near cache
    await timeOutThrice(a);
    await b.cache.forceSet('k', 60_000, 'during'); // A's push for it is held with its replies

    a.driver.resume();
    const probesBefore = a.driver.sent.filter((p) => p[0]?.args[0] === 'PING').length;
    await vi.advanceTimersByTimeAsync(499);
    expect(a.driver.sent.filter((p) => p[0]?.args[0] === 'PING').length).toBe(probesBefore);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.driver.sent.filter((p) => p[0]?.args[0] === 'PING').length).toBe(probesBefore + 1);
    await flush();
    expect(metrics.events.at(-1)).toBe('up');
    expect(metrics.outagesMs).toEqual([500]);
    expect(a.log.records.some((r) => r.level === 'warn' && /up again/.test(r.message))).toBe(true);
    expect(await a.cache.get('k', 60_000, loaded)).toBe('during');
  });

  it('stays closed when a lost connection is re-established at once: the PING that checks it is answered', async () => {
    const metrics = new ResilienceMetrics();
    const a = env.start({ metrics });
    await a.cache.forceSet('k', 60_000, 'v');
    a.driver.pause();
    const getting = rejectionOf(a.cache.get('k2', 60_000, loaded));
    await flush();
    a.driver.dropConnection();
    a.driver.resume();
    await flush();
    // The read in flight was lost with the connection; the next calls go out on the new one.
    const lost = (await getting) as RedisCommandError;
    expect(lost).toBeInstanceOf(RedisCommandError);
    expect(lost.transport).toBe(true);
    expect(metrics.events).toEqual([]);
    expect(await a.cache.get('k', 60_000, loaded)).toBe('v');
  });

  it('opens when a failed send is not confirmed by a PING; the probe closes it again', async () => {
    const metrics = new ResilienceMetrics();
    const a = env.start({ metrics });
    a.driver.failNext(2); // the read, and the PING that checks the connection
    const error = await rejectionOf(a.cache.forceSet('k', 60_000, 'v'));
    expect(error).toBeInstanceOf(RedisCommandError);
    expect((error as RedisCommandError).transport).toBe(true);
    await flush();
    expect(metrics.events).toEqual(['down:connection']);
    await expect(a.cache.get('k', 60_000, loaded)).rejects.toBeInstanceOf(RedisUnavailableError);
    await vi.advanceTimersByTimeAsync(500);
    expect(metrics.events).toEqual(['down:connection', 'up']);
    expect(await a.cache.get('k', 60_000, loaded)).toBe('loaded');
  });

  it('close() stops the probe: no PING after it', async () => {
    const a = env.start();
    await timeOutThrice(a);
    a.driver.resume();
    await a.conn.close();
    const sent = a.driver.sent.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(a.driver.sent.length).toBe(sent);
  });
});
