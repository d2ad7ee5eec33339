import { InvalidTTLError, RedisUnavailableError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { PriceService } from '../user-example/price-service.js';
import { createFakeCache } from './fake-cache.js';

const load = (value: string) => vi.fn(async () => value);

describe('createFakeCache: redisDown', () => {
  it('a get that needs Redis rejects with RedisUnavailableError naming get and the key; the loader never runs', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('warm', 60_000, 'v');
    cache.redisDown(true);
    expect(cache.isRedisDown).toBe(true);
    const loader = load('loaded');
    for (const key of ['cold', 'warm']) {
      const error = (await cache.get(key, 60_000, loader).catch((e: unknown) => e)) as RedisUnavailableError;
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error.code).toBe('E_UNAVAILABLE');
      expect([error.op, error.key]).toEqual(['get', key]);
      expect(error.message).toContain(`"${key}"`);
    }
    expect(loader).not.toHaveBeenCalled();
    expect(cache.calls.slice(1)).toEqual([
      { op: 'unavailable', by: 'get', keys: ['cold'] },
      { op: 'unavailable', by: 'get', keys: ['warm'] },
    ]);
  });

  it('getMulti and peek are refused too, naming their keys', async () => {
    const cache = createFakeCache<string, string>();
    cache.redisDown();
    const multi = vi.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k])));
    const error = (await cache
      .getMulti(['a', 'b'], 1000, multi)
      .catch((e: unknown) => e)) as RedisUnavailableError;
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect([error.op, error.key]).toEqual(['getMulti', ['a', 'b']]);
    await expect(cache.peek('a', 1000)).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(multi).not.toHaveBeenCalled();
    expect(await cache.getMulti([], 1000, multi)).toEqual(new Map());
  });

  it('every write fails fast with RedisUnavailableError, runs no loader and changes nothing', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('k', 60_000, 'before');
    cache.redisDown(true);
    const loader = load('new');
    const multi = vi.fn(async () => new Map([['k', 'new']]));
    const writes: Array<[string, () => Promise<void>]> = [
      ['set', () => cache.set('k', 1000, loader)],
      ['setMulti', () => cache.setMulti(['k'], 1000, multi)],
      ['forceSet', () => cache.forceSet('k', 1000, 'new')],
      ['forceSetMulti', () => cache.forceSetMulti(new Map([['k', 'new']]), 1000)],
      ['del', () => cache.del('k')],
      ['delMulti', () => cache.delMulti(['k'])],
      ['touch', () => cache.touch('k', 1)],
      ['touchMulti', () => cache.touchMulti(['k'], 1)],
    ];
    for (const [op, write] of writes) {
      const error = (await write().catch((e: unknown) => e)) as RedisUnavailableError;
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error.op).toBe(op);
      expect(error.key).toEqual(op.endsWith('Multi') ? ['k'] : 'k');
    }
    expect(loader).not.toHaveBeenCalled();
    expect(multi).not.toHaveBeenCalled();
    // Input errors come first, as in the real views: no I/O is tried.
    await expect(cache.set('k', 0, loader)).rejects.toBeInstanceOf(InvalidTTLError);
    await cache.delMulti([]);
    cache.redisDown(false);
    expect(await cache.peek('k', 1000)).toEqual({ found: true, value: 'before' });
  });

  it('back up: the values Redis kept are served again, and calls work as before', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('k', 60_000, 'kept');
    cache.redisDown(true);
    await expect(cache.get('k', 1000, load('x'))).rejects.toBeInstanceOf(RedisUnavailableError);
    cache.redisDown(false);
    expect(cache.isRedisDown).toBe(false);
    expect(await cache.get('k', 1000, load('x'))).toBe('kept');
    await cache.set('k', 1000, load('written'));
    expect(await cache.get('k', 1000, load('x'))).toBe('written');
  });

  it("whenRedisIsDown 'load': concurrent gets of a key share one loader call; the value is returned, not stored", async () => {
    const cache = createFakeCache<string, string>({ whenRedisIsDown: 'load' });
    await cache.forceSet('warm', 60_000, 'in-redis');
    cache.redisDown(true);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loader = vi.fn(async (key: string) => {
      await gate;
      return `direct-${key}`;
    });
    const gets = Promise.all(Array.from({ length: 100 }, () => cache.get('cold', 1000, loader)));
    release();
    expect(await gets).toEqual(Array(100).fill('direct-cold'));
    expect(loader).toHaveBeenCalledTimes(1);
    // Not served as fresh while down: the warm key is loaded too.
    expect(await cache.get('warm', 1000, loader)).toBe('direct-warm');
    expect(await cache.get('cold', 1000, loader)).toBe('direct-cold');
    expect(loader).toHaveBeenCalledTimes(3);
    expect(cache.calls.filter((c) => c.op === 'load')).toEqual([
      { op: 'load', by: 'get', keys: ['cold'], direct: true },
      { op: 'load', by: 'get', keys: ['warm'], direct: true },
      { op: 'load', by: 'get', keys: ['cold'], direct: true },
    ]);
    cache.redisDown(false);
    expect(cache.has('cold')).toBe(false);
    expect(await cache.get('warm', 1000, loader)).toBe('in-redis');
    // Writes still fail fast with 'load'.
    cache.redisDown(true);
    await expect(cache.forceSet('k', 1000, 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
  });

  it("whenRedisIsDown 'load': getMulti makes one loader call for its keys", async () => {
    const cache = createFakeCache<string, string>({ whenRedisIsDown: 'load' });
    cache.redisDown(true);
    const multi = vi.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()])));
    expect([...(await cache.getMulti(['a', 'b'], 1000, multi))]).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(multi).toHaveBeenCalledTimes(1);
    expect([cache.has('a'), cache.has('b')]).toEqual([false, false]);
  });

  it('a load that ends while Redis is down returns its value to its callers and stores nothing', async () => {
    const cache = createFakeCache<string, string>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loading = cache.get('k', 1000, async () => {
      await gate;
      return 'late';
    });
    cache.redisDown(true);
    release();
    expect(await loading).toBe('late');
    cache.redisDown(false);
    expect(cache.has('k')).toBe(false);
  });
});

describe('docs/testing-with-the-fake.md, "When Redis is down"', () => {
  it('serves the last known price while Redis is down, and refuses to write', async () => {
    const cache = createFakeCache<string, number>({ failSafe: { maxStaleMs: 3_600_000 } });
    const prices = new PriceService(cache, async () => 189);
    expect(await prices.price('AAPL')).toBe(189);
    cache.redisDown(true);
    expect(await prices.price('AAPL')).toBe(189);
    expect(prices.fetches).toEqual(['AAPL']);
    expect(cache.calls.at(-1)).toEqual({
      op: 'fallback',
      by: 'get',
      key: 'price:AAPL',
      reason: 'redis-down',
    });
    await expect(prices.override('AAPL', 190)).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
