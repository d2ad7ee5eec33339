import { describe, expect, it } from 'vitest';
import { InvalidTTLError, RedcacheError } from '../errors/errors.js';
import { MAX_TTL_MS, toTtlMs } from './ttl.js';

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

  // Defect 15 of issue 10: a ttl of 1e20 or Number.MAX_VALUE passed, the loader ran, then Redis
  // refused the PX and the value was lost. The bound is the longest ttl that every command and
  // script accepts and that the Go library can read back (see MAX_TTL_MS).
  it('defect 15: the bound is the longest whole-millisecond Go time.Duration (2^63 - 1 ns)', () => {
    expect(MAX_TTL_MS).toBe(9_223_372_036_854);
    expect(BigInt(MAX_TTL_MS) * 1_000_000n).toBeLessThanOrEqual(2n ** 63n - 1n);
    expect(BigInt(MAX_TTL_MS + 1) * 1_000_000n).toBeGreaterThan(2n ** 63n - 1n);
  });

  it.each([
    ['1e20', 1e20],
    ['Number.MAX_VALUE', Number.MAX_VALUE],
    ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ['the bound + 1', 9_223_372_036_855],
    ['the bound + 0.5', 9_223_372_036_854.5],
  ])(
    'defect 15: rejects a ttl beyond the bound (%s), naming the bound, the op and the key',
    (_label, ttl) => {
      const error = thrown(() => toTtlMs(ttl, 'setMulti', ['a', 'b'])) as InvalidTTLError;
      expect(error).toBeInstanceOf(InvalidTTLError);
      expect(error.code).toBe('E_INVALID_TTL');
      expect(error.op).toBe('setMulti');
      expect(error.key).toEqual(['a', 'b']);
      expect(error.ttlMs).toBe(ttl);
      expect(error.message).toContain('setMulti');
      expect(error.message).toContain('["a","b"]');
      expect(error.message).toContain('9223372036854');
      expect(error.message).toContain(`got ${String(ttl)}`);
    },
  );

  it.each([
    [9_223_372_036_854, 9_223_372_036_854],
    [9_223_372_036_853.5, 9_223_372_036_854],
  ])('accepts %d, at the bound (gives %d)', (ttl, expected) => {
    expect(toTtlMs(ttl, 'set', 'k')).toBe(expected);
  });
});
