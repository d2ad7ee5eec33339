import { RedcacheError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';

// A get that finds its key's flight under way joins it without building a load of its own
// (issue 12): what it sees must not change.

const env = useFakeTimedServer({ lockTTLMs: 1_000 });

describe('a get that joins a flight under way', () => {
  it('shares the first caller’s value; its own loader is never called', async () => {
    const a = env.start();
    const gate = deferred<string>();
    const first = a.cache.get('k', 60_000, () => gate.promise);
    await flush();
    const second = vi.fn(async () => 'second');
    const joined = a.cache.get('k', 60_000, second);
    gate.resolve('first');
    expect(await first).toBe('first');
    expect(await joined).toBe('first');
    expect(second).not.toHaveBeenCalled();
  });

  it('shares the first caller’s loader error', async () => {
    const a = env.start();
    const gate = deferred<string>();
    const first = a.cache.get('k', 60_000, () => gate.promise);
    await flush();
    const joined = a.cache.get('k', 60_000, async () => 'second');
    gate.reject(new Error('loader failed'));
    await expect(first).rejects.toThrow('loader failed');
    await expect(joined).rejects.toThrow('loader failed');
  });

  it('a joiner whose signal aborts leaves alone; the first caller still gets the value', async () => {
    const a = env.start();
    const gate = deferred<string>();
    const first = a.cache.get('k', 60_000, () => gate.promise);
    await flush();
    const leaving = new AbortController();
    const joined = a.cache.get('k', 60_000, async () => 'second', { signal: leaving.signal });
    leaving.abort(new Error('left'));
    await expect(joined).rejects.toThrow('left');
    gate.resolve('first');
    expect(await first).toBe('first');
  });

  it('a loader that asks for its own key after an await is refused, not joined (it would wait for itself)', async () => {
    const a = env.start();
    const outer = a.cache.get('k', 60_000, async () => {
      await flush();
      return a.cache.get('k', 60_000, async () => 'inner');
    });
    const error = await outer.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect((error as RedcacheError).message).toMatch(/its own key/);
  });
});
