import {
  BatchKeyError,
  type Codec,
  DecodeError,
  EncodeError,
  InvalidKeyError,
  InvalidTTLError,
  JSONCodec,
  keyCodecFunc,
  MissingLoaderResultError,
  RedcacheError,
} from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { createFakeCache } from './fake-cache.js';

const load = (value: string) => vi.fn(async () => value);

describe('createFakeCache: reads', () => {
  it('loads a miss once, then serves it as a hit, and logs both', async () => {
    const cache = createFakeCache<string, string>();
    const loader = load('v');
    expect(await cache.get('k', 1000, loader)).toBe('v');
    expect(await cache.get('k', 1000, loader)).toBe('v');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.loads).toBe(1);
    expect(cache.calls).toEqual([
      { op: 'get', key: 'k', hit: false },
      { op: 'load', by: 'get', keys: ['k'] },
      { op: 'get', key: 'k', hit: true },
    ]);
  });

  it('counts presence, not truthiness: an empty string is a hit', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('k', 1000, '');
    expect(await cache.get('k', 1000, load('loaded'))).toBe('');
    expect(cache.loads).toBe(0);
  });

  it('expires an entry once now > its deadline (fractional ttls round up)', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('k', 999.2, 'v');
    cache.advance(1000);
    expect(cache.has('k')).toBe(true);
    cache.advance(1);
    expect(cache.has('k')).toBe(false);
    expect(await cache.peek('k', 1000)).toEqual({ found: false });
  });

  it('follows an injected clock', async () => {
    let now = 5_000;
    const cache = createFakeCache<string, string>({ now: () => now });
    await cache.forceSet('k', 100, 'v');
    now += 101;
    expect(cache.has('k')).toBe(false);
  });

  it('shares one loader call between concurrent gets of a key, value or error; a failure stores nothing', async () => {
    const cache = createFakeCache<string, string>();
    const failing = vi.fn(async () => {
      throw new Error('db down');
    });
    const failures = await Promise.allSettled(
      Array.from({ length: 10 }, () => cache.get('k', 1000, failing)),
    );
    expect(failing).toHaveBeenCalledTimes(1);
    expect(failures.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'db down')).toBe(
      true,
    );
    expect(cache.has('k')).toBe(false);
    const loader = load('v');
    expect(await Promise.all(Array.from({ length: 10 }, () => cache.get('k', 1000, loader)))).toEqual(
      Array(10).fill('v'),
    );
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it("a caller's signal ends its own wait; the loader's signal aborts once no caller waits", async () => {
    const cache = createFakeCache<string, string>();
    let loaderSignal: AbortSignal | undefined;
    const loader = (_key: string, { signal }: { signal: AbortSignal }) => {
      loaderSignal = signal;
      return new Promise<string>(() => {});
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.get('k', 1000, loader, { signal: first.signal });
    const b = cache.get('k', 1000, loader, { signal: second.signal });
    first.abort(new Error('first gave up'));
    await expect(a).rejects.toThrow('first gave up');
    expect(loaderSignal?.aborted).toBe(false);
    second.abort(new Error('second gave up'));
    await expect(b).rejects.toThrow('second gave up');
    expect(loaderSignal?.aborted).toBe(true);
  });

  it('getMulti: one loader call with only the missing keys; result in the order asked', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('a', 1000, 'A');
    const loader = vi.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()])));
    const result = await cache.getMulti(['c', 'a', 'b', 'c'], 1000, loader);
    expect([...result]).toEqual([
      ['c', 'C'],
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader.mock.calls[0]![0]).toEqual(['c', 'b']);
    await cache.getMulti(['a', 'b'], 1000, loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await cache.getMulti([], 1000, loader)).toEqual(new Map());
  });

  it('getMulti: keys the loader omits fail with MissingLoaderResultError naming them; the rest are stored', async () => {
    const cache = createFakeCache<string, string>();
    const loader = async () =>
      new Map([
        ['a', 'A'],
        ['extra', 'X'],
      ]);
    const error = await cache.getMulti(['a', 'b', 'c'], 1000, loader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingLoaderResultError);
    expect((error as MissingLoaderResultError).keys).toEqual(['b', 'c']);
    expect([cache.has('a'), cache.has('b'), cache.has('extra')]).toEqual([true, false, false]);
  });

  it('peek never loads or changes anything', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('k', 1000, 'v');
    cache.advance(600);
    expect(await cache.peek('k', 60_000)).toEqual({ found: true, value: 'v' });
    expect(await cache.peek('missing', 60_000)).toEqual({ found: false });
    cache.advance(401);
    expect(cache.has('k')).toBe(false);
    expect(cache.loads).toBe(0);
  });
});

describe('createFakeCache: ttl and errors', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number])(
    'rejects ttl %s with InvalidTTLError on every ttl-bearing method, before any loader runs',
    async (ttl) => {
      const cache = createFakeCache<string, string>();
      const loader = vi.fn(async () => 'v');
      const multi = vi.fn(async () => new Map([['k', 'v']]));
      const calls = [
        cache.get('k', ttl, loader),
        cache.getMulti(['k'], ttl, multi),
        cache.peek('k', ttl),
        cache.set('k', ttl, loader),
        cache.setMulti(['k'], ttl, multi),
        cache.forceSet('k', ttl, 'v'),
        cache.forceSetMulti(new Map([['k', 'v']]), ttl),
        cache.touch('k', ttl),
        cache.touchMulti(['k'], ttl),
      ];
      for (const outcome of await Promise.allSettled(calls)) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTTLError);
      }
      expect(loader).not.toHaveBeenCalled();
      expect(multi).not.toHaveBeenCalled();
      expect(cache.calls).toEqual([]);
    },
  );

  it('with a codec: values round-trip (copies, deep-frozen); EncodeError and DecodeError name the key', async () => {
    const cache = createFakeCache<string, { n: number }>({ codec: JSONCodec<{ n: number }>() });
    const original = { n: 1 };
    const value = await cache.get('k', 1000, async () => original);
    expect(value).toEqual({ n: 1 });
    expect(value).not.toBe(original);
    expect(Object.isFrozen(value)).toBe(true);
    const encodeError = await cache.forceSet('bad', 1000, { n: 1n } as never).catch((e: unknown) => e);
    expect(encodeError).toBeInstanceOf(EncodeError);
    expect((encodeError as EncodeError).key).toBe('bad');
    expect(cache.has('bad')).toBe(false);
    const broken: Codec<string> = { encode: (v) => v, decode: () => JSON.parse('{') };
    const strict = createFakeCache<string, string>({ codec: broken });
    await strict.forceSet('k', 1000, 'x');
    await expect(strict.get('k', 1000, load('y'))).rejects.toBeInstanceOf(DecodeError);
  });

  it('with a key codec: keys are told apart by their encoding; a bad key is InvalidKeyError', async () => {
    const cache = createFakeCache<{ id: number }, string>({
      keyCodec: keyCodecFunc((key: { id: number }) => (key.id > 0 ? `user:${key.id}` : '')),
    });
    await cache.forceSet({ id: 1 }, 1000, 'one');
    expect(await cache.get({ id: 1 }, 1000, load('other'))).toBe('one');
    await expect(cache.get({ id: 0 }, 1000, load('x'))).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('all errors are RedcacheErrors with codes', async () => {
    const cache = createFakeCache<string, string>();
    const error = await cache.get('k', 0, load('v')).catch((e: unknown) => e);
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect((error as RedcacheError).code).toBe('E_INVALID_TTL');
  });
});

describe('createFakeCache: writes', () => {
  it('set overwrites through its loader; a failing loader keeps the prior value', async () => {
    const cache = createFakeCache<string, string>();
    await cache.set('k', 1000, load('v1'));
    await cache.set('k', 1000, load('v2'));
    await expect(
      cache.set('k', 1000, async () => {
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await cache.peek('k', 1000)).toEqual({ found: true, value: 'v2' });
    expect(cache.loads).toBe(3);
  });

  it('setMulti: keys the loader omits are failed in a BatchKeyError, the others written', async () => {
    const cache = createFakeCache<string, string>();
    const error = await cache
      .setMulti(['a', 'b', 'c'], 1000, async () => new Map([['a', 'A']]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchKeyError);
    const batch = error as BatchKeyError<string>;
    expect(batch.succeeded).toEqual(['a']);
    expect([...batch.failed.keys()]).toEqual(['b', 'c']);
    expect(batch.errorFor('b')).toBeInstanceOf(MissingLoaderResultError);
    expect([cache.has('a'), cache.has('b')]).toEqual([true, false]);
    await cache.setMulti([], 1000, async () => new Map());
    expect(cache.loads).toBe(1);
  });

  it('forceSetMulti: values the codec refuses fail alone, in a BatchKeyError', async () => {
    const cache = createFakeCache<string, unknown>({ codec: JSONCodec<unknown>() });
    const values = new Map<string, unknown>([
      ['ok', 1],
      ['bad', undefined],
    ]);
    const error = (await cache.forceSetMulti(values, 1000).catch((e: unknown) => e)) as BatchKeyError<string>;
    expect(error.succeeded).toEqual(['ok']);
    expect(error.errorFor('bad')).toBeInstanceOf(EncodeError);
    expect([cache.has('ok'), cache.has('bad')]).toEqual([true, false]);
  });

  it('del and delMulti ignore missing keys; touch never creates or resurrects, and sets a new deadline', async () => {
    const cache = createFakeCache<string, string>();
    await cache.forceSet('a', 100, 'A');
    await cache.forceSet('old', 100, 'O');
    await cache.delMulti(['a', 'nothing']);
    await cache.del('nothing');
    cache.advance(101);
    await cache.touchMulti(['missing', 'old'], 1000);
    expect([cache.has('missing'), cache.has('old')]).toEqual([false, false]);
    await cache.forceSet('k', 100, 'v');
    await cache.touch('k', 1000);
    cache.advance(500);
    expect(cache.has('k')).toBe(true);
    expect(cache.calls.filter((c) => c.op === 'touchMulti' || c.op === 'delMulti')).toEqual([
      { op: 'delMulti', key: 'a', found: true },
      { op: 'delMulti', key: 'nothing', found: false },
      { op: 'touchMulti', key: 'missing', found: false },
      { op: 'touchMulti', key: 'old', found: false },
    ]);
  });

  it('reset forgets entries, calls and loads', async () => {
    const cache = createFakeCache<string, string>();
    await cache.get('k', 1000, load('v'));
    cache.reset();
    expect([cache.has('k'), cache.calls.length, cache.loads]).toEqual([false, 0, 0]);
  });
});
