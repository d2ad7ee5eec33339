import { InvalidOptionsError, LoaderTimeoutError, RedisUnavailableError } from '@redcache/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeCache } from './fake-cache.js';

afterEach(() => {
  vi.useRealTimers();
});

const failing = () =>
  vi.fn(async (): Promise<string> => {
    throw new Error('db down');
  });

/** A loader the test ends: `finish(value)`; `signal` is the last call's. */
function held() {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => {
    finish = resolve;
  });
  const state: { signal?: AbortSignal } = {};
  const loader = vi.fn(async (_key: string, ctx: { signal: AbortSignal }) => {
    state.signal = ctx.signal;
    return done;
  });
  return { loader, finish, state };
}

describe('createFakeCache: options are validated by core', () => {
  it.each([
    ['failSafe.maxStaleMs', { failSafe: { maxStaleMs: 0 } }],
    ['failSafe.throttleMs', { failSafe: { maxStaleMs: 1000, throttleMs: -1 } }],
    ['loaderTimeout', { loaderTimeout: { softMs: 500, hardMs: 500 } }],
    ['whenRedisIsDown', { whenRedisIsDown: 'retry' as never }],
  ])('%s: InvalidOptionsError naming it', (name, options) => {
    const error = (() => {
      try {
        createFakeCache(options);
      } catch (e) {
        return e;
      }
    })() as InvalidOptionsError;
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error.message).toContain(name);
  });

  it("a call's own failSafe or loaderTimeout is validated the same way, before its loader runs", async () => {
    const cache = createFakeCache<string, string>();
    const loader = vi.fn(async () => 'v');
    await expect(cache.get('k', 1000, loader, { failSafe: { maxStaleMs: -5 } })).rejects.toBeInstanceOf(
      InvalidOptionsError,
    );
    await expect(
      cache.getMulti(['k'], 1000, async () => new Map(), { loaderTimeout: { hardMs: Number.NaN } }),
    ).rejects.toThrow(/loaderTimeout\.hardMs/);
    expect(loader).not.toHaveBeenCalled();
  });
});

describe('createFakeCache: failSafe', () => {
  it('after the ttl a failing loader yields the fallback for up to maxStaleMs, then the error; never served as fresh', async () => {
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 10_000, throttleMs: 0 } });
    await cache.forceSet('k', 1000, 'good');
    cache.advance(1001);
    expect(cache.has('k')).toBe(false);
    expect(await cache.peek('k', 1000)).toEqual({ found: false });
    const loader = failing();
    expect(await cache.get('k', 1000, loader)).toBe('good');
    expect(cache.calls.slice(-3)).toEqual([
      { op: 'get', key: 'k', hit: false },
      { op: 'load', by: 'get', keys: ['k'] },
      { op: 'fallback', by: 'get', key: 'k', reason: 'loader-error' },
    ]);
    // Now deadline + maxStaleMs: the last moment the fallback is kept.
    cache.advance(9_999);
    expect(await cache.get('k', 1000, loader)).toBe('good');
    cache.advance(1);
    await expect(cache.get('k', 1000, loader)).rejects.toThrow('db down');
  });

  it('after a fallback was served, the loader is not called again for that key for throttleMs', async () => {
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 60_000, throttleMs: 5_000 } });
    await cache.forceSetMulti(
      new Map([
        ['k', 'good'],
        ['other', 'fine'],
      ]),
      1000,
    );
    cache.advance(2000);
    const loader = failing();
    expect(await cache.get('k', 1000, loader)).toBe('good');
    cache.advance(4_999);
    expect(await cache.get('k', 1000, loader)).toBe('good');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 'k', reason: 'throttled' });
    // Per key: another key's loader runs.
    expect(await cache.get('other', 1000, loader)).toBe('fine');
    expect(loader).toHaveBeenCalledTimes(2);
    cache.advance(1);
    expect(await cache.get('k', 1000, async () => 'fresh')).toBe('fresh');
    expect(await cache.get('k', 1000, loader)).toBe('fresh');
  });

  it('a write ends the throttle; a fallback served at the soft timeout starts none', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({
      failSafe: { maxStaleMs: 60_000, throttleMs: 5_000 },
      loaderTimeout: { softMs: 10 },
    });
    await cache.forceSet('k', 1000, 'old');
    cache.advance(1001);
    const loader = failing();
    expect(await cache.get('k', 1000, loader)).toBe('old');
    await cache.forceSet('k', 1000, 'written');
    cache.advance(1001);
    expect(await cache.get('k', 1000, loader)).toBe('written');
    expect(loader).toHaveBeenCalledTimes(2);
    await cache.forceSet('s', 1000, 'old');
    cache.advance(1001);
    let fail!: (error: Error) => void;
    const rejectsLate = () =>
      new Promise<string>((_resolve, reject) => {
        fail = reject;
      });
    const got = cache.get('s', 1000, rejectsLate);
    await vi.advanceTimersByTimeAsync(10);
    expect(await got).toBe('old');
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 's', reason: 'soft-timeout' });
    fail(new Error('late failure'));
    await vi.advanceTimersByTimeAsync(0);
    const again = failing();
    expect(await cache.get('s', 1000, again)).toBe('old');
    expect(again).toHaveBeenCalledTimes(1);
  });

  it('soft: a caller that took its fallback may leave, the load goes on; one that joins after the soft timeout gets the fallback at once', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({
      failSafe: { maxStaleMs: 60_000 },
      loaderTimeout: { softMs: 10 },
    });
    await cache.forceSet('k', 1000, 'old');
    cache.advance(1001);
    const slow = held();
    const controller = new AbortController();
    const got = cache.get('k', 1000, slow.loader, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    expect(await got).toBe('old');
    controller.abort(new Error('the request ended'));
    expect(slow.state.signal?.aborted).toBe(false);
    expect(await cache.get('k', 1000, slow.loader)).toBe('old');
    expect(slow.loader).toHaveBeenCalledTimes(1);
    slow.finish('new');
    await vi.waitFor(() => expect(cache.has('k')).toBe(true));
    expect(await cache.get('k', 1000, slow.loader)).toBe('new');
  });

  it("with whenRedisIsDown 'load', a value loaded while down is kept as a fallback, never fresh", async () => {
    const cache = createFakeCache<string, string>({
      whenRedisIsDown: 'load',
      failSafe: { maxStaleMs: 60_000 },
    });
    cache.redisDown(true);
    const loader = vi.fn(async () => 'direct');
    expect(await cache.get('k', 1000, loader)).toBe('direct');
    expect(await cache.get('k', 1000, loader)).toBe('direct');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 'k', reason: 'redis-down' });
    cache.redisDown(false);
    expect(cache.has('k')).toBe(false);
    expect(await cache.get('k', 1000, async () => 'fresh')).toBe('fresh');
  });

  it('while Redis is down a warm key is served its fallback, with no loader call; a key with none is refused', async () => {
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 60_000 } });
    await cache.forceSet('warm', 60_000, 'kept');
    cache.redisDown(true);
    const loader = vi.fn(async () => 'loaded');
    expect(await cache.get('warm', 60_000, loader)).toBe('kept');
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 'warm', reason: 'redis-down' });
    const error = (await cache
      .getMulti(['warm', 'cold'], 60_000, async () => new Map())
      .catch((e: unknown) => e)) as RedisUnavailableError;
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.key).toEqual(['cold']);
    expect(loader).not.toHaveBeenCalled();
  });

  it("per call: failSafe false turns it off; a call's failSafe works on a fake that has none", async () => {
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 60_000 } });
    await cache.forceSet('k', 1000, 'good');
    cache.advance(1001);
    await expect(cache.get('k', 1000, failing(), { failSafe: false })).rejects.toThrow('db down');
    const plain = createFakeCache<string, string>();
    await plain.forceSet('k', 1000, 'good');
    plain.advance(1001);
    expect(await plain.get('k', 1000, failing(), { failSafe: { maxStaleMs: 60_000 } })).toBe('good');
  });

  it('del drops the fallback; the caller’s own abort is its error, not a fallback', async () => {
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 60_000, throttleMs: 0 } });
    await cache.forceSet('gone', 1000, 'old');
    await cache.forceSet('k', 1000, 'old');
    cache.advance(1001);
    await cache.del('gone');
    await expect(cache.get('gone', 1000, failing())).rejects.toThrow('db down');
    const controller = new AbortController();
    const pending = cache.get('k', 1000, held().loader, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });
});

describe('createFakeCache: loaderTimeout', () => {
  it('soft: with a fallback, callers get it at softMs; the loader goes on and stores its value', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({
      failSafe: { maxStaleMs: 60_000, throttleMs: 0 },
      loaderTimeout: { softMs: 100 },
    });
    await cache.forceSet('k', 1000, 'old');
    cache.advance(1001);
    const slow = held();
    const got = cache.get('k', 1000, slow.loader);
    let settled = false;
    void got.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await got).toBe('old');
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 'k', reason: 'soft-timeout' });
    expect(slow.state.signal?.aborted).toBe(false);
    slow.finish('new');
    await vi.waitFor(() => expect(cache.has('k')).toBe(true));
    expect(await cache.get('k', 1000, failing())).toBe('new');
  });

  it('soft: without a fallback, callers wait for the loader', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({ loaderTimeout: { softMs: 100 } });
    const slow = held();
    const got = cache.get('k', 1000, slow.loader);
    await vi.advanceTimersByTimeAsync(1000);
    slow.finish('loaded');
    expect(await got).toBe('loaded');
  });

  it('hard: every caller rejects with LoaderTimeoutError, the signal aborts, the late value is not stored', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({ loaderTimeout: { hardMs: 200 } });
    const slow = held();
    const callers = [cache.get('k', 1000, slow.loader), cache.get('k', 1000, slow.loader)].map((p) =>
      p.catch((e: unknown) => e),
    );
    await vi.advanceTimersByTimeAsync(200);
    for (const error of await Promise.all(callers)) {
      expect(error).toBeInstanceOf(LoaderTimeoutError);
      expect(error).toMatchObject({ op: 'get', key: 'k', timeoutMs: 200 });
    }
    expect(slow.loader).toHaveBeenCalledTimes(1);
    expect(slow.state.signal?.aborted).toBe(true);
    expect(slow.state.signal?.reason).toBeInstanceOf(LoaderTimeoutError);
    slow.finish('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(cache.has('k')).toBe(false);
  });

  it('hard: with a fallback, callers get it; per call, a hard timeout on a fake that has none', async () => {
    vi.useFakeTimers();
    const cache = createFakeCache<string, string>({ failSafe: { maxStaleMs: 60_000 } });
    await cache.forceSet('k', 1000, 'old');
    cache.advance(1001);
    const got = cache.get('k', 1000, held().loader, { loaderTimeout: { hardMs: 50 } });
    await vi.advanceTimersByTimeAsync(50);
    expect(await got).toBe('old');
    expect(cache.calls.at(-1)).toEqual({ op: 'fallback', by: 'get', key: 'k', reason: 'hard-timeout' });
    const multi = cache
      .getMulti(['a', 'b'], 1000, () => new Promise<Map<string, string>>(() => {}), {
        loaderTimeout: { hardMs: 50 },
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await multi).toMatchObject({ op: 'getMulti', key: ['a', 'b'], timeoutMs: 50 });
  });
});
