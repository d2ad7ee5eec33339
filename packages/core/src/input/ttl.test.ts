import { describe, expect, it } from 'vitest';
import { InvalidTTLError, RedcacheError } from '../errors/errors.js';
import { toTtlMs } from './ttl.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('toTtlMs', () => {
  it.each([
    [0, 'got 0'],
    [-0, 'got 0'],
    [-1, 'got -1'],
    [-0.5, 'got -0.5'],
    [Number.NaN, 'got NaN'],
    [Number.POSITIVE_INFINITY, 'got Infinity'],
    [Number.NEGATIVE_INFINITY, 'got -Infinity'],
    ['100', 'got "100" (string)'],
    [null, 'got null'],
    [undefined, 'got undefined'],
    [true, 'got true'],
    [10n, 'got 10'],
  ])('rejects %s with InvalidTTLError naming the value, op and key', (ttl, mention) => {
    const error = thrown(() => toTtlMs(ttl, 'getMulti', ['a', 'b']));
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(RedcacheError.isInstance(error)).toBe(true);
    const ttlError = error as InvalidTTLError;
    expect(ttlError.code).toBe('E_INVALID_TTL');
    expect(ttlError.name).toBe('InvalidTTLError');
    expect(ttlError.op).toBe('getMulti');
    expect(ttlError.key).toEqual(['a', 'b']);
    expect(ttlError.ttlMs).toBe(ttl);
    expect(ttlError.message).toContain(mention);
    expect(ttlError.message).toContain('getMulti');
    expect(ttlError.message).toContain('["a","b"]');
  });

  it('keeps the key as given', () => {
    const key = { id: 7 };
    const error = thrown(() => toTtlMs(0, 'get', key)) as InvalidTTLError;
    expect(error.key).toBe(key);
    expect(error.message).toContain('{"id":7}');
  });

  it.each([
    [0.2, 1],
    [Number.MIN_VALUE, 1],
    [1, 1],
    [1.5, 2],
    [999.0001, 1000],
    [1000, 1000],
    [86_400_000, 86_400_000],
  ])('accepts %d and gives %d (fractions round up)', (ttl, expected) => {
    expect(toTtlMs(ttl, 'get', 'k')).toBe(expected);
  });
});
