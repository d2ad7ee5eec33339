import { type LoaderContext, LoaderTimeoutError, type Options } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, stateOf, storedText, useFakeTimedServer } from '../test-support/engine-process.js';
import { resilienceMetrics } from '../test-support/outage-driver.js';

// Loader timeouts (issue 11): soft (fallback now, the loader goes on) and hard (reject, abort, release).

const LOCK_TTL = 10_000;
const TTL = 1_000;
const env = useFakeTimedServer({ lockTTLMs: LOCK_TTL, commandTimeoutMs: false });

function start(options: Options = {}) {
  const metrics = resilienceMetrics();
  const p = env.start({ failSafe: { maxStaleMs: 60_000 }, metrics, ...options });
  return { ...p, metrics };
}

/** Stores `value` for `key` in `p`'s near cache (and Redis), then lets it go stale. */
async function staleFallback(p: ReturnType<typeof start>, key: string, value: string) {
  await p.cache.get(key, TTL, async () => value);
  await vi.advanceTimersByTimeAsync(TTL + 1);
}

/** No timer of the engine's is left once the stored keys (and their expiry timers) are gone. */
async function noTimerLeft() {
  env.server.flushAll();
  await flush();
  expect(vi.getTimerCount()).toBe(0);
}

describe('soft timeout', () => {
  it('acceptance 6: callers get the fallback at softMs; the loader goes on, keeps its lock, and its late value lands in Redis and reaches another process', async () => {
    const a = start({ loaderTimeout: { softMs: 100 } });
    const b = start();
    await staleFallback(a, 'k', 'old');
    const slow = deferred<string>();
    let loaderSignal: AbortSignal | undefined;
    const loader = vi.fn((_k: string, ctx: LoaderContext) => {
      loaderSignal = ctx.signal;
      return slow.promise;
    });
    const callers = Array.from({ length: 5 }, () => a.cache.get('k', 60_000, loader));
    await vi.advanceTimersByTimeAsync(99);
    expect(await stateOf(callers[0]!)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await Promise.all(callers)).toEqual(Array(5).fill('old'));
    expect(a.metrics.loaderTimedOut).toHaveBeenCalledWith('soft', undefined);
    expect(a.metrics.failSafeServed).toHaveBeenCalledWith(1, 'timeout', undefined);
    // Another process waits on the lock meanwhile; the lock outlives lockTTL (renewed).
    const waiting = b.cache.get('k', 60_000, async () => 'from b');
    await vi.advanceTimersByTimeAsync(2 * LOCK_TTL);
    expect(storedText(env.server, 'k')).toMatch(/^__redcache:lock:/);
    expect(loaderSignal?.aborted).toBe(false);
    slow.resolve('new');
    await flush();
    expect(storedText(env.server, 'k')).toMatch(/:new$/);
    expect(await waiting).toBe('new');
    expect(await a.cache.get('k', 60_000, loader)).toBe('new');
    expect(loader).toHaveBeenCalledTimes(1);
    await noTimerLeft();
  });

  it('a caller arriving after the soft timeout gets the fallback at once, while the loader still runs', async () => {
    const a = start({ loaderTimeout: { softMs: 100 } });
    await staleFallback(a, 'k', 'old');
    const slow = deferred<string>();
    const loader = vi.fn(() => slow.promise);
    const first = a.cache.get('k', 60_000, loader);
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBe('old');
    const later = a.cache.get('k', 60_000, loader);
    await flush();
    expect(await stateOf(later)).toBe('fulfilled');
    expect(await later).toBe('old');
    expect(loader).toHaveBeenCalledTimes(1);
    slow.resolve('new');
    await flush();
    expect(await a.cache.get('k', 60_000, loader)).toBe('new');
  });

  it('without a fallback the soft timeout does nothing: callers wait for the loader', async () => {
    const a = start({ loaderTimeout: { softMs: 100 } });
    const slow = deferred<string>();
    const caller = a.cache.get('k', 60_000, () => slow.promise);
    await vi.advanceTimersByTimeAsync(500);
    expect(await stateOf(caller)).toBe('pending');
    slow.resolve('v');
    expect(await caller).toBe('v');
  });

  it('a caller with failSafe false keeps waiting while the others take the fallback', async () => {
    const a = start({ loaderTimeout: { softMs: 100 } });
    await staleFallback(a, 'k', 'old');
    const slow = deferred<string>();
    const withFallback = a.cache.get('k', 60_000, () => slow.promise);
    const without = a.cache.get('k', 60_000, () => slow.promise, { failSafe: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(await withFallback).toBe('old');
    expect(await stateOf(without)).toBe('pending');
    slow.resolve('new');
    expect(await without).toBe('new');
  });
});

describe('hard timeout', () => {
  it('acceptance 6: every caller rejects with LoaderTimeoutError, the loader is aborted, and its lock is released at once for another process', async () => {
    const a = start({ loaderTimeout: { hardMs: 200 } });
    const b = start();
    let loaderSignal: AbortSignal | undefined;
    const hung = (_k: string, ctx: LoaderContext) => {
      loaderSignal = ctx.signal;
      return new Promise<string>(() => {});
    };
    const callers = Array.from({ length: 3 }, () => a.cache.get('k', 60_000, hung));
    const settled = Promise.allSettled(callers);
    await flush();
    const other = vi.fn(async () => 'from b');
    const waiting = b.cache.get('k', 60_000, other);
    await vi.advanceTimersByTimeAsync(200);
    for (const result of await settled) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(LoaderTimeoutError);
      expect(error.message).toBe('redcache: get key "k": loader timed out after 200 ms');
    }
    expect(loaderSignal?.aborted).toBe(true);
    expect(a.metrics.loaderTimedOut).toHaveBeenCalledWith('hard', undefined);
    // b takes over at once (well before lockTTL).
    await vi.advanceTimersByTimeAsync(LOCK_TTL / 10);
    expect(await stateOf(waiting)).toBe('fulfilled');
    expect(await waiting).toBe('from b');
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('with a fallback at hand, callers get it instead (cause timeout), and the lock is released all the same', async () => {
    const a = start({ loaderTimeout: { hardMs: 200 } });
    await staleFallback(a, 'k', 'old');
    const caller = a.cache.get('k', 60_000, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(200);
    expect(await caller).toBe('old');
    expect(a.metrics.failSafeServed).toHaveBeenCalledWith(1, 'timeout', undefined);
    expect(storedText(env.server, 'k')).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('soft then hard: the fallback at softMs, then the background loader is aborted at hardMs and its lock released', async () => {
    const a = start({ loaderTimeout: { softMs: 100, hardMs: 300 } });
    await staleFallback(a, 'k', 'old');
    let loaderSignal: AbortSignal | undefined;
    const caller = a.cache.get('k', 60_000, (_k, ctx) => {
      loaderSignal = ctx.signal;
      return new Promise<string>(() => {});
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(await caller).toBe('old');
    expect(storedText(env.server, 'k')).toMatch(/^__redcache:lock:/);
    await vi.advanceTimersByTimeAsync(200);
    expect(loaderSignal?.aborted).toBe(true);
    expect(storedText(env.server, 'k')).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('per call: loaderTimeout on the call; a loader that finishes in time leaves no timer', async () => {
    const a = start();
    const caller = a.cache.get('k', 60_000, () => new Promise<string>(() => {}), {
      loaderTimeout: { hardMs: 50 },
    });
    const result = caller.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toBeInstanceOf(LoaderTimeoutError);
    expect(
      await a.cache.get('j', 60_000, async () => 'quick', { loaderTimeout: { softMs: 10, hardMs: 50 } }),
    ).toBe('quick');
    await noTimerLeft();
  });

  it('getMulti: the hard timeout rejects the keys of the loader call with one error naming them', async () => {
    const a = start({ loaderTimeout: { hardMs: 100 } });
    const caller = a.cache.getMulti(['x', 'y'], 60_000, () => new Promise<Map<string, string>>(() => {}));
    const result = caller.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    const error = await result;
    expect(error).toBeInstanceOf(LoaderTimeoutError);
    expect((error as Error).message).toContain('["x","y"]');
    expect(env.server.keys()).toEqual([]);
  });
});
