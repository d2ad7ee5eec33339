import { Conn, newStringCache, type Options, RedcacheError, StringCodec } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, storedText, useFakeTimedServer } from '../test-support/engine-process.js';
import { outageDriver, resilienceMetrics } from '../test-support/outage-driver.js';

// Degraded reads (issue 11): whenRedisIsDown 'load' runs the loader here while Redis is down.

const env = useFakeTimedServer();

function startOutage(options: Options = {}) {
  const outage = outageDriver(env.server.connect());
  const metrics = resilienceMetrics();
  const conn = Conn.open(outage.driver, {
    lockTTLMs: 1_000,
    commandTimeoutMs: false,
    breaker: { probeIntervalMs: 100 },
    whenRedisIsDown: 'load',
    metrics,
    ...options,
  });
  env.closeAfter(() => conn.close());
  return { outage, metrics, conn, cache: newStringCache(conn, StringCodec) };
}

/** Redis is unreachable, as `isRedisDown` tells: the breaker's error or a failed send's. */
const redisDown = (error: unknown) =>
  RedcacheError.isInstance(error) &&
  (error.code === 'E_UNAVAILABLE' ||
    (error.code === 'E_REDIS' && (error as { transport?: boolean }).transport));

describe("whenRedisIsDown: 'load'", () => {
  it('acceptance 3: 100 concurrent gets of a cold key call the loader once and all get its value; nothing is stored', async () => {
    const p = startOutage();
    p.outage.down();
    await flush();
    const loader = vi.fn(async () => 'loaded here');
    const values = await Promise.all(Array.from({ length: 100 }, () => p.cache.get('cold', 60_000, loader)));
    expect(values).toEqual(Array(100).fill('loaded here'));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(p.metrics.degradedLoads).toHaveBeenCalledWith(1, undefined);
    expect(env.server.keys()).toEqual([]);
  });

  it('a degraded value is not kept fresh: the next get during the outage loads again (no fail-safe)', async () => {
    const p = startOutage();
    p.outage.down();
    const loader = vi.fn(async () => 'v');
    await p.cache.get('k', 60_000, loader);
    await p.cache.get('k', 60_000, loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('with fail-safe, a degraded value is kept as a fallback: the next get during the outage is served it, with no loader call', async () => {
    const p = startOutage({ failSafe: { maxStaleMs: 60_000 } });
    p.outage.down();
    const loader = vi.fn(async () => 'v');
    expect(await p.cache.get('k', 60_000, loader)).toBe('v');
    expect(await p.cache.get('k', 60_000, loader)).toBe('v');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(p.metrics.failSafeServed).toHaveBeenCalledWith(1, 'redis', undefined);
  });

  it('with fail-safe, a degraded value its loader chose not to store (skipStore) is kept nowhere, not even as a fallback', async () => {
    const p = startOutage({ failSafe: { maxStaleMs: 60_000 } });
    p.outage.down();
    expect(
      await p.cache.get('k', 60_000, async (_key, { skipStore }) => {
        skipStore();
        return 'skipped';
      }),
    ).toBe('skipped');
    const loader = vi.fn(async () => 'v');
    expect(await p.cache.get('k', 60_000, loader)).toBe('v');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('once Redis answers again, a read goes to Redis: a key written during the outage is read, not loaded', async () => {
    const p = startOutage({ failSafe: { maxStaleMs: 60_000 } });
    p.outage.down();
    await p.cache.get('k', 60_000, async () => 'degraded');
    env.server.write('k', '__redcache:v1:0:written meanwhile', { pxMs: 60_000 });
    p.outage.up();
    await vi.advanceTimersByTimeAsync(200);
    const loader = vi.fn(async () => 'loaded');
    expect(await p.cache.get('k', 60_000, loader)).toBe('written meanwhile');
    expect(loader).not.toHaveBeenCalled();
  });

  it('getMulti: one loader call for the cold keys; a warm key with fail-safe gets its fallback', async () => {
    const p = startOutage({ failSafe: { maxStaleMs: 60_000 } });
    await p.cache.get('warm', 60_000, async () => 'w');
    p.outage.down();
    await flush();
    const loader = vi.fn(async (keys: string[]) => new Map(keys.map((key) => [key, `loaded ${key}`])));
    const values = await p.cache.getMulti(['warm', 'a', 'b'], 60_000, loader);
    expect([...values]).toEqual([
      ['warm', 'w'],
      ['a', 'loaded a'],
      ['b', 'loaded b'],
    ]);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader.mock.calls[0]![0]).toEqual(['a', 'b']);
    expect(p.metrics.degradedLoads).toHaveBeenCalledWith(2, undefined);
  });

  it('a flight waiting on another process’s lock when Redis goes away loads here', async () => {
    const p = startOutage({ lockTTLMs: 10_000 });
    const b = env.start({ lockTTLMs: 10_000, commandTimeoutMs: false });
    const held = deferred<string>();
    const holder = b.cache.get('k', 60_000, () => held.promise);
    await flush();
    const loader = vi.fn(async () => 'loaded here');
    const waiting = p.cache.get('k', 60_000, loader);
    await flush();
    p.outage.down();
    await flush();
    expect(await waiting).toBe('loaded here');
    held.resolve('from b');
    expect(await holder).toBe('from b');
  });

  it("default ('fail'): the get rejects with the typed error and calls no loader", async () => {
    const p = startOutage({ whenRedisIsDown: 'fail' });
    p.outage.down();
    const loader = vi.fn(async () => 'v');
    const error = await p.cache.get('k', 60_000, loader).catch((e: unknown) => e);
    expect(redisDown(error)).toBe(true);
    expect((error as Error).message).toContain('"k"');
    expect(loader).not.toHaveBeenCalled();
  });
});

describe('writes while Redis is down', () => {
  it("fail fast with a typed error and leave nothing half-done; set's loader does not run", async () => {
    const p = startOutage();
    await p.cache.forceSet('k', 60_000, 'before');
    await p.cache.forceSet('j', 60_000, 'before');
    p.outage.down();
    await flush();
    const loader = vi.fn(async () => 'new');
    const multiLoader = vi.fn(async (keys: string[]) => new Map(keys.map((key) => [key, 'new'])));
    const writes = [
      p.cache.set('k', 60_000, loader),
      p.cache.setMulti(['k', 'j'], 60_000, multiLoader),
      p.cache.forceSet('k', 60_000, 'new'),
      p.cache.forceSetMulti(new Map([['k', 'new']]), 60_000),
      p.cache.del('k'),
      p.cache.delMulti(['k', 'j']),
      p.cache.touch('k', 1),
      p.cache.touchMulti(['k', 'j'], 1),
    ];
    const errors = await Promise.all(
      writes.map((write) =>
        write.then(
          () => 'resolved',
          (e: unknown) => e,
        ),
      ),
    );
    for (const error of errors) {
      const cause = RedcacheError.isInstance(error) && error.code === 'E_BATCH' ? firstCause(error) : error;
      expect(redisDown(cause), String(error)).toBe(true);
    }
    expect(loader).not.toHaveBeenCalled();
    expect(multiLoader).not.toHaveBeenCalled();
    expect(storedText(env.server, 'k')).toMatch(/:before$/);
    expect(storedText(env.server, 'j')).toMatch(/:before$/);
    expect(env.server.pttl('k')).toBeGreaterThan(50_000);
  });
});

describe('writes refused while the breaker is open', () => {
  it('leave the near cache as it was: a fallback is still served after a write failed fast', async () => {
    const p = startOutage({ whenRedisIsDown: 'fail', failSafe: { maxStaleMs: 60_000 } });
    await p.cache.get('k', 60_000, async () => 'v1');
    p.outage.down();
    await flush();
    // The first failed read opens the breaker (once its check finds Redis gone); from then on nothing is sent.
    expect(await p.cache.get('k', 60_000, async () => 'loaded')).toBe('v1');
    await flush();
    const writes = [
      p.cache.del('k'),
      p.cache.forceSet('k', 60_000, 'v2'),
      p.cache.touch('k', 1_000),
      p.cache.set('k', 60_000, async () => 'v3'),
    ];
    for (const error of await Promise.all(
      writes.map((w) =>
        w.then(
          () => 'resolved',
          (e: unknown) => e,
        ),
      ),
    )) {
      expect((error as RedcacheError).code, String(error)).toBe('E_UNAVAILABLE');
    }
    expect(await p.cache.get('k', 60_000, async () => 'loaded')).toBe('v1');
  });
});

function firstCause(error: unknown): unknown {
  const failed = (error as { failed?: Map<unknown, unknown> }).failed;
  return failed === undefined ? error : [...failed.values()][0];
}
