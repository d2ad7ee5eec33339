import { Conn, type Duration, InvalidTTLError, newStringCache, StringCodec } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { createFakeCache, type FakeCache } from './fake-cache.js';
import type { FakeOp } from './fake-call.js';

// Issue 14: FakeCache's methods took `ttlMs: number` where the real `Cache` takes a `Duration`,
// so `fake.get('k', '5m', loader)` through the FakeCache type was a type error (this file's
// calls typecheck only with the fix). The runtime already read strings with core's `toTtlMs`.

const FIVE_MINUTES = 5 * 60_000;
const load = async (key: string) => `v:${key}`;
const loadMany = async (keys: string[]) => new Map(keys.map((key) => [key, `v:${key}`]));

/** The operations that take a ttl. */
type TtlOp = Exclude<FakeOp, 'del' | 'delMulti' | 'clear'>;
/** The ttl-bearing methods, typed as the fake's: a real view has them too. */
type TtlMethods = Pick<FakeCache<string, string>, TtlOp>;

/** Every ttl-bearing method of a cache, called with `ttl`. */
function everyTtlMethod(ttl: Duration): [TtlOp, (cache: TtlMethods) => Promise<unknown>][] {
  return [
    ['get', (c) => c.get('k', ttl, load)],
    ['getMulti', (c) => c.getMulti(['k'], ttl, loadMany)],
    ['peek', (c) => c.peek('k', ttl)],
    ['set', (c) => c.set('k', ttl, load)],
    ['setMulti', (c) => c.setMulti(['k'], ttl, loadMany)],
    ['forceSet', (c) => c.forceSet('k', ttl, 'v')],
    ['forceSetMulti', (c) => c.forceSetMulti(new Map([['k', 'v']]), ttl)],
    ['touch', (c) => c.touch('k', ttl)],
    ['touchMulti', (c) => c.touchMulti(['k'], ttl)],
  ];
}

describe("FakeCache's ttl parameters are a Duration, as Cache's (issue 14)", () => {
  it("defect: the FakeCache type refused a ttl of '5m'; it is five minutes on the fake's clock", async () => {
    const fake = createFakeCache<string, string>();
    expect(await fake.get('k', '5m', load)).toBe('v:k');
    fake.advance(FIVE_MINUTES);
    expect(fake.has('k')).toBe(true);
    fake.advance(1);
    expect(fake.has('k')).toBe(false);

    await fake.forceSet('k', '5m', 'w');
    await fake.touch('k', '1.5s');
    await fake.set('s', '5m', load);
    expect(fake.calls).toContainEqual({ op: 'forceSet', key: 'k', ttlMs: FIVE_MINUTES });
    expect(fake.calls).toContainEqual({ op: 'set', key: 's', ttlMs: FIVE_MINUTES });
    fake.advance(1_500);
    expect(fake.has('k')).toBe(true);
    fake.advance(1);
    expect(fake.has('k')).toBe(false);
  });

  it.each(everyTtlMethod('5m'))("'5m' is accepted by %s", async (_op, run) => {
    const fake = createFakeCache<string, string>();
    await run(fake);
    expect(fake.calls.some((call) => call.op === 'unavailable')).toBe(false);
  });

  it.each(everyTtlMethod('5 minutes' as Duration))(
    "'5 minutes' is an InvalidTTLError on %s, the real view's error",
    async (op, run) => {
      const fake = createFakeCache<string, string>();
      const fakeError = await run(fake).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(fakeError).toBeInstanceOf(InvalidTTLError);
      expect(fakeError).toMatchObject({ code: 'E_INVALID_TTL', op });
      expect(fake.loads).toBe(0);

      const conn = Conn.open(createMemoryRedis().connect());
      try {
        const realError = await run(newStringCache(conn, StringCodec)).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(realError).toBeInstanceOf(InvalidTTLError);
        expect((fakeError as Error).message).toBe((realError as Error).message);
      } finally {
        await conn.close();
      }
    },
  );
});
