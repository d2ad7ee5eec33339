import { type Options, RedcacheError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, stateOf, storedText, useFakeTimedServer } from '../test-support/engine-process.js';

// Loaders whose callers are gone, and loaders that wait on themselves (issue 10, defect 6).

const LOCK_TTL = 1_000;
const env = useFakeTimedServer({ lockTTLMs: LOCK_TTL });

const start = (options?: Options) => env.start(options);

describe('an abandoned loader', () => {
  it('defect 6: once every caller has left, its lock is released and not renewed — another process loads the key at once', async () => {
    const a = start();
    const b = start();
    const abandoned = deferred<string>();
    const caller = new AbortController();
    const leaving = a.cache.get('k', 60_000, () => abandoned.promise, { signal: caller.signal });
    await flush();
    expect(storedText(env.server, 'k')).toMatch(/^__redcache:lock:/);
    caller.abort(new Error('caller gave up'));
    await expect(leaving).rejects.toThrow('caller gave up');
    await flush();
    expect(storedText(env.server, 'k')).toBeUndefined();
    const loader = vi.fn(async () => 'from b');
    const loading = b.cache.get('k', 60_000, loader);
    await flush();
    expect(await stateOf(loading)).toBe('fulfilled');
    expect(await loading).toBe('from b');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('defect 6: the lock of an abandoned loader is not renewed: it is gone well before lockTTL, however long the loader runs', async () => {
    const a = start();
    const caller = new AbortController();
    const leaving = a.cache.get('k', 60_000, () => new Promise<string>(() => {}), { signal: caller.signal });
    await flush();
    caller.abort(new Error('gone'));
    await expect(leaving).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(5 * LOCK_TTL);
    expect(storedText(env.server, 'k')).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("defect 6: the abandoned loader's late result fails its CAS harmlessly: the value another process wrote stays", async () => {
    const a = start();
    const b = start();
    const late = deferred<string>();
    const caller = new AbortController();
    const leaving = a.cache.get('k', 60_000, () => late.promise, { signal: caller.signal });
    await flush();
    caller.abort(new Error('gone'));
    await expect(leaving).rejects.toThrow('gone');
    await flush();
    expect(await b.cache.get('k', 60_000, async () => 'from b')).toBe('from b');
    late.resolve('late from a');
    await flush();
    expect(storedText(env.server, 'k')).toMatch(/:from b$/);
    expect(await a.cache.get('k', 60_000, async () => 'reloaded')).toBe('from b');
  });

  it('a loader still waited for by a caller without a signal keeps its lock, renewed past lockTTL', async () => {
    const a = start();
    const slow = deferred<string>();
    const pinned = a.cache.get('k', 60_000, () => slow.promise);
    await flush();
    await vi.advanceTimersByTimeAsync(3 * LOCK_TTL);
    expect(storedText(env.server, 'k')).toMatch(/^__redcache:lock:/);
    slow.resolve('done');
    expect(await pinned).toBe('done');
  });
});

describe('a loader that waits on its own key', () => {
  it('defect 6: a loader that calls get for its own key rejects with a clear error instead of deadlocking', async () => {
    const a = start();
    const outer = a.cache.get('k', 60_000, () => a.cache.get('k', 60_000, async () => 'inner'));
    const settled = outer.then(
      () => 'fulfilled',
      (error: unknown) => error,
    );
    await flush();
    const error = await Promise.race([settled, flush().then(() => 'still pending')]);
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect((error as RedcacheError).message).toMatch(/its own key/);
    expect((error as RedcacheError).message).toContain('"k"');
    expect(storedText(env.server, 'k')).toBeUndefined();
  });

  it('defect 6: a getMulti loader that asks getMulti for one of the keys it loads rejects with the same error', async () => {
    const a = start();
    const outer = a.cache.getMulti(['x', 'y'], 60_000, async (keys) => {
      await a.cache.getMulti(['y'], 60_000, async () => new Map([['y', 'inner']]));
      return new Map(keys.map((key) => [key, 'outer']));
    });
    const settled = outer.then(
      () => 'fulfilled',
      (error: unknown) => error,
    );
    const error = await Promise.race([settled, flush().then(() => 'still pending')]);
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect((error as RedcacheError).message).toMatch(/its own key/);
  });

  it('a loader may read other keys through the cache', async () => {
    const a = start();
    const value = await a.cache.get(
      'k',
      60_000,
      async () => `k+${await a.cache.get('j', 60_000, async () => 'j')}`,
    );
    expect(value).toBe('k+j');
  });
});
