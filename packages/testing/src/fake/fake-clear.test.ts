import { InvalidOptionsError, RedisUnavailableError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { createFakeCache } from './fake-cache.js';

const load = (value: string) => vi.fn(async () => value);

describe('createFakeCache: prefix and clear', () => {
  it('removes every entry, so each key loads again, and logs how many', async () => {
    const cache = createFakeCache<string, string>({ prefix: 'users:' });
    await cache.forceSet('a', 60_000, 'A');
    await cache.forceSet('b', 60_000, 'B');
    const progress = vi.fn();
    expect(await cache.clear({ onProgress: progress })).toBe(2);
    expect(progress).toHaveBeenCalledWith({ removed: 2 });
    expect([cache.has('a'), cache.has('b')]).toEqual([false, false]);
    const loader = load('A2');
    expect(await cache.get('a', 1000, loader)).toBe('A2');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.calls).toContainEqual({ op: 'clear', removed: 2 });
  });

  it('counts only live entries, and tells onProgress nothing when it removed none', async () => {
    const cache = createFakeCache<string, string>({ prefix: 'users:' });
    await cache.forceSet('a', 1000, 'A');
    cache.advance(2000);
    const progress = vi.fn();
    expect(await cache.clear({ onProgress: progress })).toBe(0);
    expect(progress).not.toHaveBeenCalled();
  });

  it('rejects with a TypeError without a prefix, as the real view does', async () => {
    const cache = createFakeCache<string, string>();
    await expect(cache.clear()).rejects.toThrow(TypeError);
    await expect(cache.clear()).rejects.toThrow(/no prefix/);
  });

  it('refuses a prefix the real view refuses, naming it', () => {
    expect(() => createFakeCache({ prefix: '' })).toThrow(InvalidOptionsError);
    expect(() => createFakeCache({ prefix: 'a{b' })).toThrow(/createFakeCache prefix: "a\{b"/);
  });

  it("rejects with the signal's reason before removing anything", async () => {
    const cache = createFakeCache<string, string>({ prefix: 'users:' });
    await cache.forceSet('a', 60_000, 'A');
    const reason = new Error('stop');
    await expect(cache.clear({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(cache.has('a')).toBe(true);
  });

  it('is refused while Redis is down, and logs the refusal', async () => {
    const cache = createFakeCache<string, string>({ prefix: 'users:' });
    await cache.forceSet('a', 60_000, 'A');
    cache.redisDown(true);
    await expect(cache.clear()).rejects.toThrow(RedisUnavailableError);
    expect(cache.calls.at(-1)).toEqual({ op: 'unavailable', by: 'clear', keys: [] });
    cache.redisDown(false);
    expect(cache.has('a')).toBe(true);
  });
});
