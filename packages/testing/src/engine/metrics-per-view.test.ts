import { Conn, NoopMetrics, newStringCache, type Options, StringCodec } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';
import { outageDriver } from '../test-support/outage-driver.js';

// Issue 13: the view's name is the trailing `view` of every per-call Metrics event, and
// callDuration is told each call's op and outcome as it settles.

const env = useFakeTimedServer({ commandTimeoutMs: false });
const TTL = 60_000;
const VIEW = 'pages';

/** Every per-call event, and callDuration, as mocks. */
function viewMetrics() {
  return Object.assign(new NoopMetrics(), {
    cacheHits: vi.fn(),
    cacheMisses: vi.fn(),
    lockContended: vi.fn(),
    lockWaitDuration: vi.fn(),
    loaderDuration: vi.fn(),
    loaderErrors: vi.fn(),
    failSafeServed: vi.fn(),
    degradedLoads: vi.fn(),
    loaderTimedOut: vi.fn(),
    callDuration: vi.fn(),
  });
}

function named(options: Options = {}) {
  const metrics = viewMetrics();
  const p = env.start({ metrics, ...options });
  return { ...p, metrics, pages: newStringCache(p.conn, StringCodec, { name: VIEW }) };
}

const ms = expect.any(Number);

describe('Metrics events carry the view’s name', () => {
  it('cacheMisses, loaderDuration and cacheHits of a get that loads, then hits', async () => {
    const a = named();
    await a.pages.get('k', TTL, async () => 'v');
    await a.pages.get('k', TTL, async () => 'v');
    expect(a.metrics.cacheMisses.mock.calls).toEqual([[1, VIEW]]);
    expect(a.metrics.loaderDuration.mock.calls).toEqual([[ms, VIEW]]);
    expect(a.metrics.cacheHits.mock.calls).toEqual([[1, VIEW]]);
    await a.pages.getMulti(['k', 'x'], TTL, async (keys) => new Map(keys.map((k) => [k, k])));
    expect(a.metrics.cacheHits.mock.calls.at(-1)).toEqual([1, VIEW]);
    expect(a.metrics.cacheMisses.mock.calls.at(-1)).toEqual([1, VIEW]);
  });

  it('loaderErrors of a loader that throws, in a get and in a set', async () => {
    const a = named();
    await expect(a.pages.get('k', TTL, () => Promise.reject(new Error('no')))).rejects.toThrow();
    await expect(a.pages.set('k', TTL, () => Promise.reject(new Error('no')))).rejects.toThrow();
    expect(a.metrics.loaderErrors.mock.calls).toEqual([
      [1, VIEW],
      [1, VIEW],
    ]);
  });

  it('lockContended and lockWaitDuration of a get and a set that wait for another process', async () => {
    const a = named();
    const b = named();
    const value = deferred<string>();
    const holding = a.pages.get('k', TTL, () => value.promise);
    await flush();
    const waiting = b.pages.get('k', TTL, async () => 'b');
    await flush();
    value.resolve('a');
    await Promise.all([holding, waiting]);
    const write = deferred<string>();
    const writing = a.pages.set('w', TTL, () => write.promise);
    await flush();
    const second = b.pages.set('w', TTL, async () => 'b');
    await flush();
    write.resolve('a');
    await Promise.all([writing, second]);
    expect(b.metrics.lockContended.mock.calls).toEqual([
      [1, VIEW],
      [1, VIEW],
    ]);
    expect(b.metrics.lockWaitDuration.mock.calls).toEqual([
      [ms, VIEW],
      [ms, VIEW],
    ]);
  });

  it('failSafeServed and loaderTimedOut (soft) of a loader past its soft timeout with a fallback', async () => {
    const a = named({ failSafe: { maxStaleMs: 10_000 }, loaderTimeout: { softMs: 100 } });
    await a.pages.get('k', 1_000, async () => 'old');
    await vi.advanceTimersByTimeAsync(1_001);
    const slow = deferred<string>();
    const getting = a.pages.get('k', 1_000, () => slow.promise);
    await vi.advanceTimersByTimeAsync(100);
    expect(await getting).toBe('old');
    expect(a.metrics.loaderTimedOut.mock.calls).toEqual([['soft', VIEW]]);
    expect(a.metrics.failSafeServed.mock.calls).toEqual([[1, 'timeout', VIEW]]);
    slow.resolve('new');
    await flush();
  });

  it('loaderTimedOut (hard)', async () => {
    const a = named({ loaderTimeout: { hardMs: 100 } });
    const getting = a.pages.get('k', TTL, () => new Promise<string>(() => {}));
    const failed = expect(getting).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(100);
    await failed;
    expect(a.metrics.loaderTimedOut.mock.calls).toEqual([['hard', VIEW]]);
  });

  it('degradedLoads of a load while Redis is down', async () => {
    const outage = outageDriver(env.server.connect());
    const metrics = viewMetrics();
    const conn = Conn.open(outage.driver, { metrics, commandTimeoutMs: false, whenRedisIsDown: 'load' });
    env.closeAfter(() => conn.close());
    outage.down();
    await flush();
    await newStringCache(conn, StringCodec, { name: VIEW }).get('k', TTL, async () => 'v');
    expect(metrics.degradedLoads.mock.calls).toEqual([[1, VIEW]]);
  });
});

describe('callDuration', () => {
  it('is called once per call as it settles, with its op, its outcome, ms and the view', async () => {
    const a = named();
    await a.pages.get('k', TTL, async () => 'v');
    await a.pages.get('k', TTL, async () => 'v');
    await expect(a.pages.get('e', TTL, () => Promise.reject(new Error('no')))).rejects.toThrow();
    await a.pages.getMulti(['k', 'm'], TTL, async (keys) => new Map(keys.map((k) => [k, k])));
    await a.pages.peek('none', TTL);
    await a.pages.setMulti(['s', 't'], TTL, async (keys) => new Map(keys.map((k) => [k, k])));
    await a.pages.del('s');
    expect(a.metrics.callDuration.mock.calls).toEqual([
      ['get', 'loaded', ms, VIEW],
      ['get', 'nearHit', ms, VIEW],
      ['get', 'error', ms, VIEW],
      ['getMulti', 'mixed', ms, VIEW],
      ['peek', 'notFound', ms, VIEW],
      ['setMulti', 'written', ms, VIEW],
      ['del', 'written', ms, VIEW],
    ]);
    for (const [, , elapsed] of a.metrics.callDuration.mock.calls) expect(elapsed).toBeGreaterThanOrEqual(0);
  });

  it('a view with no name reports no view', async () => {
    const a = named();
    await a.cache.get('k', TTL, async () => 'v');
    expect(a.metrics.callDuration.mock.calls).toEqual([['get', 'loaded', ms, undefined]]);
  });
});
