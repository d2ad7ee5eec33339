import { InvalidTTLError, type LoaderContext } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { createFakeCache } from './fake-cache.js';

describe('createFakeCache: a loader that chooses', () => {
  it('setTtl: the value lives the ttl the loader chose, not the call’s', async () => {
    const cache = createFakeCache<string, string>();
    await cache.get('k', 60_000, async (_key, ctx) => {
      ctx.setTtl('1s');
      return 'v';
    });
    cache.advance(1000);
    expect(cache.has('k')).toBe(true);
    cache.advance(1);
    expect(cache.has('k')).toBe(false);
  });

  it('skipStore: every concurrent caller gets the value, nothing is stored, the next get loads again', async () => {
    const cache = createFakeCache<string, string>();
    const loader = vi.fn(async (_key: string, ctx: LoaderContext<string>) => {
      ctx.skipStore();
      return 'not-found';
    });
    const values = await Promise.all(Array.from({ length: 5 }, () => cache.get('k', 60_000, loader)));
    expect(values).toEqual(Array(5).fill('not-found'));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.has('k')).toBe(false);
    expect(await cache.get('k', 60_000, loader)).toBe('not-found');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('getMulti: per key — two ttls, one key skipped', async () => {
    const cache = createFakeCache<string, string>();
    const values = await cache.getMulti(['a', 'b', 'c'], 60_000, async (keys, ctx) => {
      ctx.setTtl('1s', ['a']);
      ctx.setTtl('2s', ['b']);
      ctx.skipStore(['c']);
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    });
    expect([...values]).toEqual([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
    expect(cache.has('c')).toBe(false);
    cache.advance(1001);
    expect([cache.has('a'), cache.has('b')]).toEqual([false, true]);
    cache.advance(1000);
    expect(cache.has('b')).toBe(false);
  });

  it('setMulti: per key — two ttls; a skipped key is left empty (its old value removed)', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('c', 60_000, 'old');
    await cache.setMulti(['a', 'b', 'c'], 60_000, async (keys, ctx) => {
      ctx.setTtl(1000, ['a']);
      ctx.setTtl(2000, ['b']);
      ctx.skipStore(['c']);
      return new Map(keys.map((k) => [k, k]));
    });
    expect(cache.has('c')).toBe(false);
    cache.advance(1001);
    expect([cache.has('a'), cache.has('b')]).toEqual([false, true]);
  });

  it('set: setTtl applies; skipStore leaves the key empty', async () => {
    const cache = createFakeCache<string, string>();
    await cache.set('k', 60_000, async (_key, ctx) => {
      ctx.setTtl('1s');
      return 'v';
    });
    cache.advance(1001);
    expect(cache.has('k')).toBe(false);
    await cache.forceSet('k', 60_000, 'old');
    await cache.set('k', 60_000, async (_key, { skipStore }) => {
      skipStore();
      return 'v';
    });
    expect(cache.has('k')).toBe(false);
  });

  it('an invalid setTtl rejects the call with InvalidTTLError naming the value and the key', async () => {
    const cache = createFakeCache<string, string>();
    const error = await cache
      .get('user:1', 60_000, async (_key, ctx) => {
        ctx.setTtl('-1s');
        return 'v';
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect((error as Error).message).toContain('"-1s"');
    expect((error as Error).message).toContain('user:1');
    expect(cache.has('user:1')).toBe(false);
  });

  it('while Redis is down, a skipped direct load is not kept as a fallback', async () => {
    const cache = createFakeCache<string, string>({
      failSafe: { maxStaleMs: 60_000 },
      whenRedisIsDown: 'load',
    });
    cache.redisDown(true);
    const skipped = await cache.get('k', 60_000, async (_key, ctx) => {
      ctx.skipStore();
      return 'v';
    });
    expect(skipped).toBe('v');
    const loader = vi.fn(async () => 'again');
    expect(await cache.get('k', 60_000, loader)).toBe('again');
    expect(loader).toHaveBeenCalledTimes(1);
  });
});
