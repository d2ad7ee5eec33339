import { Conn, InvalidOptionsError, newStringCache, type Options, StringCodec } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, storedText, useFakeTimedServer } from '../test-support/engine-process.js';
import { outageDriver, resilienceMetrics } from '../test-support/outage-driver.js';

// Fail-safe (issue 11): fallbacks kept past their freshness, served only instead of an error.

const TTL = 1_000;
const MAX_STALE = 5_000;
const THROTTLE = 1_000;
const env = useFakeTimedServer({ lockTTLMs: 1_000, commandTimeoutMs: false });

function start(options: Options = {}) {
  const metrics = resilienceMetrics();
  const p = env.start({ failSafe: { maxStaleMs: MAX_STALE, throttleMs: THROTTLE }, metrics, ...options });
  return { ...p, metrics };
}

const failing = () => vi.fn(async (): Promise<string> => Promise.reject(new Error('db down')));

describe('fail-safe: after the ttl', () => {
  it('acceptance 5: a throwing loader yields the fallback for up to maxStaleMs, then the error; the loader runs at most once per throttleMs', async () => {
    const a = start();
    expect(await a.cache.get('k', TTL, async () => 'v1')).toBe('v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    expect(env.server.peek('k')).toBeUndefined();
    const loader = failing();
    const started = Date.now();
    // Every 100 ms, a get: the fallback until maxStaleMs has passed since the value went stale.
    const served: string[] = [];
    while (Date.now() - started < MAX_STALE - 200) {
      served.push(await a.cache.get('k', TTL, loader));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(new Set(served)).toEqual(new Set(['v1']));
    const elapsed = Date.now() - started;
    expect(loader.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(loader.mock.calls.length).toBeLessThanOrEqual(Math.ceil(elapsed / THROTTLE) + 1);
    expect(a.metrics.failSafeServed).toHaveBeenCalledWith(1, 'loader', undefined);
    expect(a.metrics.failSafeServed).toHaveBeenCalledTimes(served.length);
    await vi.advanceTimersByTimeAsync(400);
    await expect(a.cache.get('k', TTL, loader)).rejects.toThrow('db down');
  });

  it('within the throttle, concurrent gets of a throttled key call no loader, and a Redis value still wins', async () => {
    const a = start();
    const b = start();
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    const loader = failing();
    expect(await a.cache.get('k', TTL, loader)).toBe('v1');
    const again = await Promise.all(Array.from({ length: 10 }, () => a.cache.get('k', TTL, loader)));
    expect(again).toEqual(Array(10).fill('v1'));
    expect(loader).toHaveBeenCalledTimes(1);
    await b.cache.forceSet('k', TTL, 'v2');
    await flush();
    expect(await a.cache.get('k', TTL, loader)).toBe('v2');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('a fallback is never a hit: past the ttl a working loader is called and its value returned', async () => {
    const a = start();
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    const loader = vi.fn(async () => 'v2');
    expect(await a.cache.get('k', TTL, loader)).toBe('v2');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(a.metrics.failSafeServed).not.toHaveBeenCalled();
  });

  it('without failSafe (the default) the error is returned', async () => {
    const a = start({ failSafe: false });
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    await expect(a.cache.get('k', TTL, failing())).rejects.toThrow('db down');
  });

  it('per call: failSafe false turns it off for that call; a call may turn it on over a Conn without it', async () => {
    const a = start();
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    await expect(a.cache.get('k', TTL, failing(), { failSafe: false })).rejects.toThrow('db down');
    const b = start({ failSafe: false });
    const perCall = { failSafe: { maxStaleMs: MAX_STALE } };
    await b.cache.get('j', TTL, async () => 'w1', perCall);
    await vi.advanceTimersByTimeAsync(TTL + 1);
    expect(await b.cache.get('j', TTL, failing(), perCall)).toBe('w1');
    await expect(b.cache.get('j', TTL, failing())).rejects.toThrow('db down');
  });

  it('per call: a fallback staler than the call’s own maxStaleMs is not served', async () => {
    const a = start();
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 2_000);
    await expect(a.cache.get('k', TTL, failing(), { failSafe: { maxStaleMs: 1_000 } })).rejects.toThrow(
      'db down',
    );
    expect(await a.cache.get('k', TTL, failing())).toBe('v1');
  });

  it('acceptance 8: per-call options are validated, the error names the option, the op and the key', async () => {
    const a = start();
    const bad = { failSafe: { maxStaleMs: -1 } } as const;
    await expect(a.cache.get('k', TTL, async () => 'v', bad)).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(a.cache.get('k', TTL, async () => 'v', bad)).rejects.toThrow(
      /get key "k": failSafe\.maxStaleMs: must be greater than 0/,
    );
    await expect(
      a.cache.getMulti(['x'], TTL, async () => new Map(), { loaderTimeout: { softMs: 50, hardMs: 10 } }),
    ).rejects.toThrow(/getMulti key \["x"\]: loaderTimeout: softMs must be less than hardMs/);
  });
});

describe('fail-safe: dropped from coherence', () => {
  it('a lost connection keeps entries as fallbacks only: a read goes to Redis, and a failing loader gets the fallback', async () => {
    const a = start();
    await a.cache.get('k', 60_000, async () => 'v1');
    await a.cache.get('j', 60_000, async () => 'w1');
    a.driver.dropConnection();
    await flush();
    env.server.write('k', null);
    const loader = vi.fn(async () => 'reloaded');
    // j is still in Redis: read fresh from there, no loader.
    expect(await a.cache.get('j', 60_000, loader)).toBe('w1');
    expect(loader).not.toHaveBeenCalled();
    expect(await a.cache.get('k', 60_000, failing())).toBe('v1');
    expect(a.metrics.failSafeServed).toHaveBeenCalledWith(1, 'loader', undefined);
  });

  it('a key rewritten by another process is read fresh from Redis, never its fallback', async () => {
    const a = start();
    const b = start();
    await a.cache.get('k', 60_000, async () => 'v1');
    await b.cache.forceSet('k', 60_000, 'v2');
    await flush();
    expect(await a.cache.get('k', 60_000, failing())).toBe('v2');
    expect(a.metrics.failSafeServed).not.toHaveBeenCalled();
  });

  it("a pushed key's old value stays a fallback: deleted elsewhere, a failing loader gets it", async () => {
    const a = start();
    const b = start();
    await a.cache.get('k', 60_000, async () => 'v1');
    await b.cache.del('k');
    await flush();
    expect(await a.cache.get('k', 60_000, failing())).toBe('v1');
  });

  it('a write of our own drops the fallback (it supersedes the old value)', async () => {
    const a = start();
    await a.cache.get('k', 60_000, async () => 'v1');
    await a.cache.del('k');
    await expect(a.cache.get('k', 60_000, failing())).rejects.toThrow('db down');
  });

  it('with nearCache false there is no memory, so no fallback: the error is returned', async () => {
    const a = start({ nearCache: false });
    await a.cache.get('k', TTL, async () => 'v1');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    await expect(a.cache.get('k', TTL, failing())).rejects.toThrow('db down');
  });

  it('fallbacks count against maxEntries: the oldest goes to make room', async () => {
    const a = start({ nearCache: { maxEntries: 2 } });
    await a.cache.get('k1', TTL, async () => 'v1');
    await a.cache.get('k2', TTL, async () => 'v2');
    await vi.advanceTimersByTimeAsync(TTL + 1);
    await a.cache.get('k3', 60_000, async () => 'v3');
    await expect(a.cache.get('k1', TTL, failing())).rejects.toThrow('db down');
    expect(await a.cache.get('k2', TTL, failing())).toBe('v2');
  });
});

describe('fail-safe: Redis down', () => {
  it('a warm key is served its fallback (cause redis) with no loader call; when Redis answers again, the read goes to Redis', async () => {
    const outage = outageDriver(env.server.connect());
    const metrics = resilienceMetrics();
    const conn = Conn.open(outage.driver, {
      lockTTLMs: 1_000,
      commandTimeoutMs: false,
      breaker: { probeIntervalMs: 100 },
      failSafe: { maxStaleMs: 60_000 },
      metrics,
    });
    env.closeAfter(() => conn.close());
    const cache = newStringCache(conn, StringCodec);
    await cache.get('k', 60_000, async () => 'v1');
    outage.down();
    await flush();
    const loader = vi.fn(async () => 'loaded');
    const served = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', 60_000, loader)));
    expect(served).toEqual(Array(20).fill('v1'));
    expect(loader).not.toHaveBeenCalled();
    expect(metrics.failSafeServed).toHaveBeenCalledWith(1, 'redis', undefined);
    // Rewritten during the outage; Redis comes back.
    env.server.write('k', `__redcache:v1:0:v2`, { pxMs: 60_000 });
    outage.up();
    await vi.advanceTimersByTimeAsync(200);
    expect(await cache.get('k', 60_000, loader)).toBe('v2');
    expect(loader).not.toHaveBeenCalled();
    expect(storedText(env.server, 'k')).toMatch(/:v2$/);
  });
});
