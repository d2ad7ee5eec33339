import {
  type Cache,
  Conn,
  DecodeError,
  EncodeError,
  InvalidKeyError,
  InvalidOptionsError,
  InvalidTTLError,
  JSONCodec,
  keyCodecFunc,
  newCache,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { refreshSetScript, restoreValueScript } from '@redcache/core/wire';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, plainClient, type TestConn } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('bad-input');
let t: TestConn;
beforeAll(async () => {
  t = await openConn(target);
});
afterAll(async () => {
  await t.conn.close();
});

describe('bad input', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'ttl %s is an InvalidTTLError with no command and no loader call',
    async (ttl) => {
      const cache = newStringCache(t.conn, StringCodec);
      let loads = 0;
      const loader = async () => {
        loads++;
        return 'v';
      };
      t.driver.reset();
      await expect(cache.get(`${prefix}ttl`, ttl, loader)).rejects.toBeInstanceOf(InvalidTTLError);
      await expect(cache.getMulti([`${prefix}ttl`], ttl, async () => new Map())).rejects.toBeInstanceOf(
        InvalidTTLError,
      );
      await expect(cache.peek(`${prefix}ttl`, ttl)).rejects.toBeInstanceOf(InvalidTTLError);
      expect(t.driver.sent).toHaveLength(0);
      expect(loads).toBe(0);
    },
  );

  it('a fractional ttl rounds up to a whole millisecond', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}fraction`;
    await cache.get(key, 0.2, async () => 'v');
    const set = t.driver.sent.find(
      (c) => String(c.args[0]).startsWith('EVAL') && c.args.includes(key) && c.args.at(-1) === '1',
    );
    expect(set).toBeDefined();
  });

  it('rejects lockTTL 50 and lock prefixes that overlap the value prefix, at open', async () => {
    const { driver } = t;
    for (const options of [
      { lockTTLMs: 50 },
      { lockPrefix: '__redcache:' },
      { lockPrefix: '__redcache:v1:0' },
    ]) {
      expect(() => Conn.open(driver, options)).toThrow(InvalidOptionsError);
    }
  });

  it('a key codec that returns "" is an error naming the key, with no I/O', async () => {
    const cache = newCache(
      t.conn,
      keyCodecFunc((id: { id: number }) => (id.id === 0 ? '' : `${prefix}${id.id}`)),
      StringCodec,
    );
    t.driver.reset();
    const error = await cache.get({ id: 0 }, 1000, async () => 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as Error).message).toContain('"id":0');
    expect(t.driver.sent).toHaveLength(0);
  });

  it.each([
    ['undefined', undefined],
    ['a BigInt', 10n],
  ])(
    'a loader value that cannot be encoded (%s) is an EncodeError and the lock is released',
    async (_name, value) => {
      const cache = newStringCache(t.conn, JSONCodec<unknown>());
      const key = `${prefix}encode-${_name}`;
      const error = await cache.get(key, 60_000, async () => value).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EncodeError);
      expect((error as Error).message).toContain(key);
      expect(await t.client.get(key)).toBeNull();
      expect(await cache.get(key, 60_000, async () => 'ok')).toBe('ok');
    },
  );

  it('a missing codec is a TypeError', () => {
    expect(() => newStringCache(t.conn, undefined as never)).toThrow(TypeError);
  });
});

describe('corrupt state', () => {
  it('a lock-prefixed value with no expiry fails the call (DecodeError) instead of waiting forever', async () => {
    const key = `${prefix}persistent-lock`;
    await t.client.set(key, '__redcache:lock:not-from-redcache');
    const cache = newStringCache(t.conn, StringCodec);
    let loads = 0;
    const error = await cache
      .get(key, 60_000, async () => {
        loads++;
        return 'v';
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toContain(key);
    expect(loads).toBe(0);
    await t.client.del(key);
  });
});

// ---- Issue 10, defects 4, 15 and 19: input refused before any I/O ----

/** The longest ttl (MAX_TTL_MS in packages/core/src/input/ttl.ts): the longest Go time.Duration, in ms. */
const MAX_TTL_MS = 9_223_372_036_854;
const cut = (text: string) => `${prefix}${text}:${'😀'.slice(0, 1)}`;
const loaderCalls = { count: 0 };
const load = async () => {
  loaderCalls.count++;
  return 'v';
};
const loadMany = async (keys: string[]) => {
  loaderCalls.count++;
  return new Map(keys.map((key) => [key, 'v']));
};

/** Every view method that takes a key, called with `key` (and `ttl` where it takes one). */
function everyOp(
  cache: Cache<string, string>,
  key: string,
  ttl: number,
): Array<[string, () => Promise<unknown>]> {
  return [
    ['get', () => cache.get(key, ttl, load)],
    ['getMulti', () => cache.getMulti([`${prefix}fine`, key], ttl, loadMany)],
    ['peek', () => cache.peek(key, ttl)],
    ['set', () => cache.set(key, ttl, load)],
    ['setMulti', () => cache.setMulti([`${prefix}fine`, key], ttl, loadMany)],
    ['forceSet', () => cache.forceSet(key, ttl, 'v')],
    [
      'forceSetMulti',
      () =>
        cache.forceSetMulti(
          new Map([
            [`${prefix}fine`, 'v'],
            [key, 'v'],
          ]),
          ttl,
        ),
    ],
    ['del', () => cache.del(key)],
    ['delMulti', () => cache.delMulti([`${prefix}fine`, key])],
    ['touch', () => cache.touch(key, ttl)],
    ['touchMulti', () => cache.touchMulti([`${prefix}fine`, key], ttl)],
  ];
}

/** Runs `call`, expects it to reject with `type`, and no command and no loader call to have happened. */
async function refusedBeforeIo(call: () => Promise<unknown>, type: abstract new (...args: never[]) => Error) {
  t.driver.reset();
  loaderCalls.count = 0;
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect(t.driver.sent).toEqual([]);
  expect(loaderCalls.count).toBe(0);
  return error as Error;
}

describe('defect 4: keys that are not well-formed UTF-16', () => {
  it('defect 4 (the cause): Redis stores a lone surrogate as U+FFFD, so the push names another key and two JS keys share one', async () => {
    const plain = await plainClient(target);
    const high = cut('stored');
    const stored = high.replace('\uD83D', '\uFFFD');
    const low = `${prefix}stored:${'😀'.slice(1)}`;
    // Commands with the JS keys go through the Conn's driver, routed by the U+FFFD key: on a
    // cluster, node-redis routes the JS key itself to another slot than Redis stores it in
    // (it loops on MOVED until "Too many Cluster redirections").
    const sendAs = (key: string, args: string[]) =>
      t.driver.send([{ key: stored, args: [args[0]!, key, ...args.slice(1)] }]);
    const text = (reply: unknown) => Buffer.from(reply as Uint8Array).toString();
    try {
      await sendAs(high, ['SET', 'written-as-high']);
      expect(await plain.exists(stored)).toBe(1);
      // Another JS key, with another lone surrogate, reads the same Redis key; the read is
      // tracked on the Conn's connection.
      const [read] = await sendAs(low, ['GET']);
      expect(text(read)).toBe('written-as-high');

      // Another client writes the key: the invalidation names the U+FFFD key, never a key
      // the near cache would hold.
      const pushed: string[] = [];
      const arrived = new Promise<void>((resolve) => {
        const stop = t.driver.onInvalidate((key) => {
          if (key === null || !key.startsWith(`${prefix}stored:`)) return;
          pushed.push(key);
          stop();
          resolve();
        });
      });
      await plain.set(stored, 'changed');
      await arrived;
      expect(pushed).toEqual([stored]);
      expect(pushed).not.toContain(high);
      expect(pushed).not.toContain(low);
    } finally {
      await plain.del(stored);
      await plain.close();
    }
  });

  it.each(['high', 'low'])(
    'defect 4: a key with a lone %s surrogate is an InvalidKeyError before any I/O, for every op that takes a key',
    async (which) => {
      const cache = newStringCache(t.conn, StringCodec);
      const key = which === 'high' ? cut('refused') : `${prefix}refused:${'😀'.slice(1)}`;
      for (const [op, call] of everyOp(cache, key, 60_000)) {
        const error = await refusedBeforeIo(call, InvalidKeyError);
        expect((error as InvalidKeyError).op).toBe(op);
        expect(error.message).toContain('lone surrogate');
      }
    },
  );

  it('a key with a whole emoji (a surrogate pair) is stored under its own bytes', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}emoji:😀`;
    await cache.forceSet(key, 60_000, 'smile');
    expect(await t.client.get(key)).toBe('__redcache:v1:0:smile');
    await cache.del(key);
  });
});

describe('defect 15: ttls beyond the bound, and multi-key calls given no array', () => {
  it('defect 15 (the cause): Redis refuses SET PX 1e20, and PX as JS writes 1e21', async () => {
    const key = `${prefix}px-refused`;
    const [tooBig, exponent] = await t.driver.send([
      { key, args: ['SET', key, 'v', 'PX', String(1e20)] },
      { key, args: ['SET', key, 'v', 'PX', String(1e21)] },
    ]);
    expect(tooBig).toBeInstanceOf(Error);
    expect(exponent).toBeInstanceOf(Error);
    expect(String(1e21)).toBe('1e+21');
    expect(await t.client.exists(key)).toBe(0);
  });

  it.each([
    ['1e20', 1e20],
    ['Number.MAX_VALUE', Number.MAX_VALUE],
    ['the bound + 1', MAX_TTL_MS + 1],
  ])(
    'defect 15: ttl %s is an InvalidTTLError naming the bound, before any I/O or loader call',
    async (_label, ttl) => {
      const cache = newStringCache(t.conn, StringCodec);
      for (const [op, call] of everyOp(cache, `${prefix}ttl-bound`, ttl)) {
        if (op === 'del' || op === 'delMulti') continue;
        const error = await refusedBeforeIo(call, InvalidTTLError);
        expect((error as InvalidTTLError).op).toBe(op);
        expect(error.message).toContain(String(MAX_TTL_MS));
        expect(error.message).toContain(`${prefix}ttl-bound`);
      }
    },
  );

  it('defect 15: a ttl at the bound is accepted by every command and script that carries it', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}at-bound`;
    const near = (pttl: number) => expect(pttl).toBeGreaterThan(MAX_TTL_MS - 600_000);
    try {
      // get: read-or-lock (its lock PX lockTTL), then set-if-locked with PX ttl
      expect(await cache.get(key, MAX_TTL_MS, load)).toBe('v');
      near(await t.client.pTTL(key));
      // forceSet: SET PX ttl
      await cache.forceSet(key, MAX_TTL_MS, 'forced');
      near(await t.client.pTTL(key));
      // touch: the touch script's PEXPIRE
      await cache.touch(key, 1_000_000);
      await cache.touch(key, MAX_TTL_MS);
      near(await t.client.pTTL(key));
      // set whose loader fails: acquire-write-lock reads the PTTL, restore-value puts it back
      // through a Lua number (tonumber), which Redis formats with %.17g
      await expect(
        cache.set(key, 60_000, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow();
      expect(await t.client.get(key)).toBe('__redcache:v1:0:forced');
      near(await t.client.pTTL(key));
      // set: acquire-write-lock, then set-if-locked with PX ttl
      await cache.set(key, MAX_TTL_MS, async () => 'written');
      near(await t.client.pTTL(key));
      // refresh-set, sent as the refresh sends it (its ttl is ARGV[2])
      const seen = await t.client.get(key);
      const [refreshed] = await t.driver.send([
        {
          key,
          args: [
            'EVAL',
            refreshSetScript.source,
            '1',
            key,
            '__redcache:v1:0:refreshed',
            String(MAX_TTL_MS),
            '__redcache:lock:',
            seen!,
          ],
        },
      ]);
      expect(refreshed).toBe(1);
      near(await t.client.pTTL(key));
    } finally {
      await t.client.del(key);
    }
  });

  it('Lua numbers past 10^17 are not integers to Redis (%.17g): why the bound stays far below', async () => {
    const key = `${prefix}lua-number`;
    const lock = '__redcache:lock:issue10:1';
    const restore = (pttl: string) =>
      t.driver.send([
        { key, args: ['SET', key, lock] },
        { key, args: ['EVAL', restoreValueScript.source, '1', key, lock, '1', 'v', pttl] },
      ]);
    try {
      expect((await restore(String(10 ** 16)))[1]).toBe(1);
      expect((await restore(String(10 ** 17)))[1]).toBeInstanceOf(Error);
    } finally {
      await t.client.del(key);
    }
  });

  it.each([
    ['getMulti', (c: Cache<string, string>) => c.getMulti('abc' as never, 60_000, loadMany)],
    ['setMulti', (c: Cache<string, string>) => c.setMulti('abc' as never, 60_000, loadMany)],
    ['delMulti', (c: Cache<string, string>) => c.delMulti('abc' as never)],
    ['touchMulti', (c: Cache<string, string>) => c.touchMulti('abc' as never, 60_000)],
    ['forceSetMulti', (c: Cache<string, string>) => c.forceSetMulti('abc' as never, 60_000)],
    ['forceSetMulti', (c: Cache<string, string>) => c.forceSetMulti([['a', 'v']] as never, 60_000)],
  ])(
    'defect 15: %s given no array (or no Map) is a TypeError naming the op, before any I/O',
    async (op, call) => {
      const cache = newCache(
        t.conn,
        keyCodecFunc((key: string) => `${prefix}chars:${key}`),
        StringCodec,
      );
      const error = await refusedBeforeIo(() => call(cache), TypeError);
      expect(error.message).toContain(op);
      for (const char of 'abc') expect(await t.client.exists(`${prefix}chars:${char}`)).toBe(0);
    },
  );
});

describe('defect 19: two different keys that the key codec maps to one Redis key', () => {
  const lowerCase = () =>
    newCache(
      t.conn,
      keyCodecFunc((key: string) => `${prefix}collide:${key.toLowerCase()}`),
      StringCodec,
    );

  it.each([
    ['getMulti', (c: Cache<string, string>) => c.getMulti(['other', 'User', 'USER'], 60_000, loadMany)],
    ['setMulti', (c: Cache<string, string>) => c.setMulti(['other', 'User', 'USER'], 60_000, loadMany)],
    [
      'forceSetMulti',
      (c: Cache<string, string>) =>
        c.forceSetMulti(
          new Map([
            ['other', 'v'],
            ['User', 'v1'],
            ['USER', 'v2'],
          ]),
          60_000,
        ),
    ],
    ['delMulti', (c: Cache<string, string>) => c.delMulti(['other', 'User', 'USER'])],
    ['touchMulti', (c: Cache<string, string>) => c.touchMulti(['other', 'User', 'USER'], 60_000)],
  ])('defect 19: %s is an InvalidKeyError naming both keys, before any I/O', async (op, call) => {
    const error = (await refusedBeforeIo(() => call(lowerCase()), InvalidKeyError)) as InvalidKeyError;
    expect(error.op).toBe(op);
    expect(error.key).toEqual(['User', 'USER']);
    expect(error.message).toContain('"User"');
    expect(error.message).toContain('"USER"');
  });

  it('the same key given twice is still read once and answered for', async () => {
    const cache = lowerCase();
    const asked: string[][] = [];
    const result = await cache.getMulti(['dup', 'dup', 'two'], 60_000, async (keys) => {
      asked.push(keys);
      return new Map(keys.map((key) => [key, `v-${key}`]));
    });
    expect(asked).toEqual([['dup', 'two']]);
    expect([...result]).toEqual([
      ['dup', 'v-dup'],
      ['two', 'v-two'],
    ]);
    await cache.delMulti(['dup', 'two', 'dup']);
  });
});
