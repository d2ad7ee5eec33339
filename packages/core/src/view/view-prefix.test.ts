import { afterEach, describe, expect, it } from 'vitest';
import { keyCodecFunc, StringCodec, StringKeyCodec } from '../codec/ready-codecs.js';
import { Conn } from '../conn.js';
import type { Driver, RedisCommand } from '../driver.js';
import { InvalidKeyError, InvalidOptionsError } from '../errors/errors.js';
import { newBytesCache, newCache, newStringCache } from '../new-cache.js';
import { checkPrefix, prefixedKeyCodec } from './view-prefix.js';

const limits = { refreshLockPrefix: '__redcache:refresh:' };

/** Records every command and answers each with 1 (what DEL and PEXPIRE answer). */
function recording(): { driver: Driver; sent: RedisCommand[] } {
  const sent: RedisCommand[] = [];
  const driver: Driver = {
    client: undefined,
    send: async (commands) => {
      sent.push(...commands);
      return commands.map(() => 1);
    },
    onInvalidate: () => () => {},
    slotOf: () => 0,
    close: async () => {},
  };
  return { driver, sent };
}

const conns: Conn[] = [];
function open(driver: Driver = recording().driver): Conn {
  const conn = Conn.open(driver, { nearCache: false });
  conns.push(conn);
  return conn;
}
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

describe('prefixedKeyCodec', () => {
  it('puts the prefix before what the key codec gives', () => {
    const codec = prefixedKeyCodec(
      keyCodecFunc((id: number) => `user:${id}`),
      'app:',
    );
    expect(codec.encodeKey(7)).toBe('app:user:7');
  });

  it('is the key codec itself without a prefix', () => {
    expect(prefixedKeyCodec(StringKeyCodec, undefined)).toBe(StringKeyCodec);
  });

  it('passes an empty or non-string encoding through, so the usual checks see it', () => {
    const empty = prefixedKeyCodec(
      keyCodecFunc(() => ''),
      'app:',
    );
    expect(empty.encodeKey('x')).toBe('');
    const numeric = prefixedKeyCodec({ encodeKey: () => 42 as unknown as string }, 'app:');
    expect(numeric.encodeKey('x')).toBe(42);
  });
});

describe('checkPrefix', () => {
  it('takes a separator-ended prefix, a complete hash tag, and no prefix', () => {
    expect(checkPrefix('newCache', 'users:', limits)).toBe('users:');
    expect(checkPrefix('newCache', '{users}:', limits)).toBe('{users}:');
    expect(checkPrefix('newCache', 'a}b:', limits)).toBe('a}b:');
    expect(checkPrefix('newCache', undefined, limits)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    [42, '42 (number) must be a string'],
    [null, 'null (object) must be a string'],
    ['😀'.slice(0, 1), 'lone surrogate'],
    ['__redcache:refresh:users:', 'overlaps refreshLockPrefix'],
    ['__redcache:', 'overlaps refreshLockPrefix'],
    ['users{:', "'{' with no '}'"],
    ['users{}:', "empty hash tag '{}'"],
  ])('refuses %j with InvalidOptionsError naming the option and why (%s)', (prefix, why) => {
    let error: unknown;
    try {
      checkPrefix('newCache', prefix, limits);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toContain('newCache prefix: ');
    expect((error as Error).message).toContain(why);
  });
});

describe('a view with a prefix', () => {
  it('sends every key as prefix + key', async () => {
    const { driver, sent } = recording();
    const users = newCache(
      open(driver),
      keyCodecFunc((id: number) => `user:${id}`),
      StringCodec,
      { prefix: 'app:' },
    );
    await users.del(7);
    await users.delMulti([8, 9]);
    await users.touch(7, '1m');
    expect(sent.map((command) => command.key)).toEqual([
      'app:user:7',
      'app:user:8',
      'app:user:9',
      'app:user:7',
    ]);
    expect(sent.slice(0, 3).map((command) => command.args)).toEqual([
      ['DEL', 'app:user:7'],
      ['DEL', 'app:user:8'],
      ['DEL', 'app:user:9'],
    ]);
  });

  it("names the caller's key, not the prefixed one, when the key codec fails", async () => {
    const view = newCache(
      open(),
      keyCodecFunc((key: string) => key.trim()),
      StringCodec,
      { prefix: 'app:' },
    );
    const error = await view.del('   ').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as Error).message).toContain('"   "');
    expect((error as Error).message).toContain('empty string');
    expect((error as Error).message).not.toContain('app:');
  });

  it('still tells two keys that share a Redis key apart, by their own names', async () => {
    const view = newCache(
      open(),
      keyCodecFunc((key: string) => key.toLowerCase()),
      StringCodec,
      { prefix: 'app:' },
    );
    const error = await view.delMulti(['User', 'USER']).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as Error).message).toContain('"User" and "USER"');
    expect((error as Error).message).toContain('"app:user"');
  });

  it('is checked by newCache, newStringCache and newBytesCache, before any I/O', () => {
    const conn = open();
    expect(() => newCache(conn, StringKeyCodec, StringCodec, { prefix: '' })).toThrow(InvalidOptionsError);
    expect(() => newStringCache(conn, StringCodec, { prefix: 'a{b' })).toThrow(InvalidOptionsError);
    expect(() => newBytesCache(conn, { prefix: 7 as unknown as string })).toThrow(InvalidOptionsError);
  });

  it("refuses a prefix overlapping the connection's own refreshLockPrefix", () => {
    const conn = Conn.open(recording().driver, { nearCache: false, refreshLockPrefix: 'rl:' });
    conns.push(conn);
    expect(() => newStringCache(conn, StringCodec, { prefix: 'rl:users:' })).toThrow(
      /overlaps refreshLockPrefix "rl:"/,
    );
    expect(() => newStringCache(conn, StringCodec, { prefix: '__redcache:refresh:' })).not.toThrow();
  });
});
