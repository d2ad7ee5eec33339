import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, storedText, useFakeTimedServer } from '../test-support/engine-process.js';

// A connection lost while the final CAS is in flight (issue 10, defect 9).

const env = useFakeTimedServer({});

const start = () => env.start();

describe('the final CAS and a lost connection', () => {
  it('defect 9: a CAS lost before it reached the env.server is sent again: the load is kept, written, and loaded once', async () => {
    const a = start();
    const loading = deferred<string>();
    const loader = vi.fn(() => loading.promise);
    const getting = a.cache.get('k', 60_000, loader);
    await flush();
    a.driver.latency(20);
    loading.resolve('loaded');
    await vi.advanceTimersByTimeAsync(5);
    a.driver.dropConnection();
    a.driver.latency(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(await getting).toBe('loaded');
    expect(storedText(env.server, 'k')).toMatch(/:loaded$/);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await a.cache.get('k', 60_000, async () => 'again')).toBe('loaded');
  });

  it('defect 9: a CAS whose reply was lost (it ran) is sent again: the callers get the loaded value', async () => {
    const a = start();
    const b = start();
    const loading = deferred<string>();
    const getting = a.cache.get('k', 60_000, () => loading.promise);
    const waiting = b.cache.get('k', 60_000, async () => 'b');
    await flush();
    a.driver.pause();
    loading.resolve('loaded');
    await flush();
    a.driver.dropConnection();
    a.driver.resume();
    await vi.advanceTimersByTimeAsync(100);
    expect(await getting).toBe('loaded');
    expect(await waiting).toBe('loaded');
    expect(storedText(env.server, 'k')).toMatch(/:loaded$/);
  });

  it('defect 9: when storing keeps failing, the callers still get the loaded value; the failure is logged', async () => {
    const a = start();
    const loading = deferred<string>();
    const getting = a.cache.get('k', 60_000, () => loading.promise);
    await flush();
    a.driver.failNext(Number.POSITIVE_INFINITY);
    loading.resolve('loaded');
    await vi.advanceTimersByTimeAsync(100);
    expect(await getting).toBe('loaded');
    expect(a.log.problems.some((message) => /could not store/.test(message))).toBe(true);
  });
});
