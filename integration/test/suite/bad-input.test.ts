import {
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
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';

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
