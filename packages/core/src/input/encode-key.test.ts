import { describe, expect, it, vi } from 'vitest';
import { keyCodecFunc, StringKeyCodec } from '../codec/ready-codecs.js';
import type { KeyCodec } from '../codec.js';
import { InvalidKeyError, RedcacheError } from '../errors/errors.js';
import { assertWellFormedKey, encodeKey, encodeKeyForLookup } from './encode-key.js';

function thrown(run: () => unknown): InvalidKeyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeyError);
    return error as InvalidKeyError;
  }
  throw new Error('expected a throw');
}

/** A key codec whose encodeKey returns whatever it is given to return, bypassing the types. */
const returning = (result: unknown): KeyCodec<unknown> => ({ encodeKey: () => result as string });

describe('encodeKey', () => {
  it('returns the encoded string, calling the codec once with the key', () => {
    const encode = vi.fn((id: number) => `user:${id}`);
    expect(encodeKey(keyCodecFunc(encode), 7, 'get')).toBe('user:7');
    expect(encode).toHaveBeenCalledTimes(1);
    expect(encode).toHaveBeenCalledWith(7);
  });

  it.each(['k', ' ', 'ключ', '\u0000', 'a'.repeat(10_000)])('keeps the string %#', (key) => {
    expect(encodeKey(StringKeyCodec, key, 'get')).toBe(key);
  });

  it('wraps a throwing codec in InvalidKeyError with the cause, op and key', () => {
    const boom = new Error('boom');
    const key = { id: 7 };
    const error = thrown(() =>
      encodeKey(
        keyCodecFunc(() => {
          throw boom;
        }),
        key,
        'getMulti',
      ),
    );
    expect(error.code).toBe('E_INVALID_KEY');
    expect(error.name).toBe('InvalidKeyError');
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect(error.op).toBe('getMulti');
    expect(error.key).toBe(key);
    expect(error.cause).toBe(boom);
    expect(error.message).toContain('getMulti');
    expect(error.message).toContain('{"id":7}');
    expect(error.message).toContain('threw');
  });

  it('keeps a non-Error thrown by the codec as the cause', () => {
    const error = thrown(() =>
      encodeKey(
        keyCodecFunc(() => {
          throw 'nope';
        }),
        'k',
        'get',
      ),
    );
    expect(error.cause).toBe('nope');
  });

  it('rejects an empty string, naming op and key, without a cause', () => {
    const error = thrown(() => encodeKey(returning(''), 'the-key', 'peek'));
    expect(error.code).toBe('E_INVALID_KEY');
    expect(error.op).toBe('peek');
    expect(error.key).toBe('the-key');
    expect(error.cause).toBeUndefined();
    expect(error.message).toContain('peek');
    expect(error.message).toContain('"the-key"');
    expect(error.message).toContain('empty');
  });

  it.each([
    [42, 'number'],
    [undefined, 'undefined'],
    [null, 'object'],
    [{ toString: () => 'k' }, 'object'],
    [Symbol('k'), 'symbol'],
    [new String('k'), 'object'],
  ])('rejects a non-string result %# (%s)', (result, type) => {
    const error = thrown(() => encodeKey(returning(result), 5, 'get'));
    expect(error.code).toBe('E_INVALID_KEY');
    expect(error.op).toBe('get');
    expect(error.key).toBe(5);
    expect(error.message).toContain('get');
    expect(error.message).toContain('5');
    expect(error.message).toContain(type);
    expect(error.message).toContain('not a string');
  });

  // Defect 4 of issue 10: Redis stores a lone surrogate as U+FFFD (EF BF BD), so the key Redis
  // tracks is not the key the near cache holds, and two JS keys share one Redis key.
  it.each([
    ['a high surrogate cut from an emoji', '😀'.slice(0, 1)],
    ['a low surrogate alone', '😀'.slice(1)],
    ['a lone surrogate inside a key', `user:${'😀'.slice(0, 1)}:1`],
    ['two high surrogates', '\uD83D\uD83D'],
    ['a low surrogate before a high one', '\uDE00\uD83D'],
  ])('defect 4: rejects a key that is not well-formed UTF-16 (%s)', (_label, redisKey) => {
    const error = thrown(() => encodeKey(returning(redisKey), 'the-key', 'getMulti'));
    expect(error.code).toBe('E_INVALID_KEY');
    expect(error.op).toBe('getMulti');
    expect(error.key).toBe('the-key');
    expect(error.message).toContain('getMulti');
    expect(error.message).toContain('"the-key"');
    expect(error.message).toContain('lone surrogate');
  });

  it.each(['😀', 'a😀b', '\uD83D\uDE00', '\uFFFD', '\uFFFF', 'é€'])(
    'keeps a well-formed key with surrogate pairs or high code points %#',
    (key) => {
      expect(encodeKey(StringKeyCodec, key, 'get')).toBe(key);
    },
  );
});

describe('encodeKeyForLookup and assertWellFormedKey (a near-cache hit skips the scan)', () => {
  const loneSurrogate = 'user:\ud83d';

  it('encodeKeyForLookup refuses what encodeKey refuses, except a lone surrogate', () => {
    const boom = thrown(() =>
      encodeKeyForLookup(
        keyCodecFunc(() => {
          throw new Error('boom');
        }),
        'k',
        'get',
      ),
    );
    expect(boom.op).toBe('get');
    expect(boom.key).toBe('k');
    expect(thrown(() => encodeKeyForLookup(returning(7), 'k', 'get')).message).toContain('number');
    expect(thrown(() => encodeKeyForLookup(returning(''), 'k', 'peek')).message).toContain('empty');
    expect(encodeKeyForLookup(StringKeyCodec, loneSurrogate, 'get')).toBe(loneSurrogate);
  });

  it('assertWellFormedKey refuses a lone surrogate, naming the key and op, as encodeKey does', () => {
    const error = thrown(() => assertWellFormedKey(loneSurrogate, { id: 1 }, 'peek'));
    expect(error.op).toBe('peek');
    expect(error.key).toEqual({ id: 1 });
    const viaEncodeKey = thrown(() =>
      encodeKey(
        keyCodecFunc(() => loneSurrogate),
        { id: 1 },
        'peek',
      ),
    );
    expect(error.message).toBe(viaEncodeKey.message);
    expect(() => assertWellFormedKey('user:😀', 'k', 'get')).not.toThrow();
  });
});
