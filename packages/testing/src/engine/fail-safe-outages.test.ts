import { Conn, newStringCache, type Options, StringCodec } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, stateOf, useFakeTimedServer } from '../test-support/engine-process.js';
import { outageDriver, resilienceMetrics } from '../test-support/outage-driver.js';

// Fail-safe and degraded reads when Redis is frozen or restarts empty (issue 11, the table rows).

const env = useFakeTimedServer();

function open(options: Options) {
  const outage = outageDriver(env.server.connect());
  const metrics = resilienceMetrics();
  const conn = Conn.open(outage.driver, {
    lockTTLMs: 1_000,
    breaker: { probeIntervalMs: 100 },
    metrics,
    ...options,
  });
  env.closeAfter(() => conn.close());
  return { outage, metrics, cache: newStringCache(conn, StringCodec) };
}

describe('Redis frozen (replies held)', () => {
  it('a warm key is served its fallback once the read times out (commandTimeoutMs), not later', async () => {
    const driver = env.server.connect();
    const metrics = resilienceMetrics();
    const conn = Conn.open(driver, {
      lockTTLMs: 1_000,
      commandTimeoutMs: 200,
      failSafe: { maxStaleMs: 60_000 },
      metrics,
    });
    env.closeAfter(() => conn.close());
    const cache = newStringCache(conn, StringCodec);
    await cache.get('k', 1_000, async () => 'v1');
    await vi.advanceTimersByTimeAsync(1_001);
    driver.pause();
    const loader = vi.fn(async () => 'loaded');
    const reading = cache.get('k', 1_000, loader);
    await vi.advanceTimersByTimeAsync(150);
    expect(await stateOf(reading)).toBe('pending');
    await vi.advanceTimersByTimeAsync(100);
    expect(await stateOf(reading)).toBe('fulfilled');
    expect(await reading).toBe('v1');
    expect(loader).not.toHaveBeenCalled();
    expect(metrics.failSafeServed).toHaveBeenCalledWith(1, 'redis', undefined);
    driver.resume();
  });

  it("whenRedisIsDown 'load': a cold key is loaded here once the read times out", async () => {
    const driver = env.server.connect();
    const conn = Conn.open(driver, { lockTTLMs: 1_000, commandTimeoutMs: 200, whenRedisIsDown: 'load' });
    env.closeAfter(() => conn.close());
    const cache = newStringCache(conn, StringCodec);
    driver.pause();
    const loader = vi.fn(async () => 'loaded here');
    const reading = Promise.all([cache.get('k', 1_000, loader), cache.get('k', 1_000, loader)]);
    await vi.advanceTimersByTimeAsync(250);
    expect(await reading).toEqual(['loaded here', 'loaded here']);
    expect(loader).toHaveBeenCalledTimes(1);
    driver.resume();
  });
});

describe('Redis restarts empty', () => {
  it('with failSafe: once Redis answers, a key is loaded again (not its fallback); the fallback stands in only for a failing loader', async () => {
    const p = open({ commandTimeoutMs: false, failSafe: { maxStaleMs: 60_000 } });
    await p.cache.get('a', 60_000, async () => 'a1');
    await p.cache.get('b', 60_000, async () => 'b1');
    p.outage.down();
    env.server.flushAll();
    p.outage.up();
    await vi.advanceTimersByTimeAsync(200);
    const loader = vi.fn(async () => 'a2');
    expect(await p.cache.get('a', 60_000, loader)).toBe('a2');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await p.cache.get('b', 60_000, async () => Promise.reject(new Error('db down')))).toBe('b1');
    expect(p.metrics.failSafeServed).toHaveBeenCalledWith(1, 'loader', undefined);
  });

  it("whenRedisIsDown 'load': values loaded during the outage are not in Redis afterwards; the next read loads under the lock again", async () => {
    const p = open({ commandTimeoutMs: false, whenRedisIsDown: 'load' });
    p.outage.down();
    await flush();
    expect(await p.cache.get('k', 60_000, async () => 'during')).toBe('during');
    p.outage.up();
    await vi.advanceTimersByTimeAsync(200);
    expect(env.server.keys()).toEqual([]);
    const loader = vi.fn(async () => 'after');
    expect(await p.cache.get('k', 60_000, loader)).toBe('after');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(env.server.keys()).toEqual(['k']);
  });
});
