import { describe, expect, it } from 'vitest';
import { InvalidTTLError, RedcacheError } from '../errors/errors.js';
import { parseDuration, suggestDuration } from './parse-duration.js';
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
    [undefined, 'got nothing'],
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

describe('toTtlMs with a duration string', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
    ['0.25h', 900_000],
    ['0.1ms', 1],
    ['1.0001ms', 2],
    ['007s', 7_000],
  ])('%s is %d ms (a fraction of a ms rounds up)', (ttl, expected) => {
    expect(toTtlMs(ttl, 'get', 'k')).toBe(expected);
    // Read again: from the strings already read, the same answer.
    expect(toTtlMs(ttl, 'get', 'k')).toBe(expected);
  });

  it('a number is milliseconds: 60 is 60 ms, not a minute', () => {
    expect(toTtlMs(60, 'get', 'k')).toBe(60);
    expect(toTtlMs('60s', 'get', 'k')).toBe(60_000);
  });

  it.each([
    ['5 minutes', 'write "5m"'],
    ['90 s', 'write "90s"'],
    ['100', 'write "100ms"'],
    ['1M', 'a string that is no duration'],
    ['-1s', 'must be greater than 0'],
    ['', 'must be greater than 0'],
    ['0s', 'must be greater than 0'],
    ['0.0ms', 'must be greater than 0'],
    ['1e3ms', 'must be greater than 0'],
    ['.5s', 'must be greater than 0'],
    ['+5s', 'must be greater than 0'],
    [' 5s', 'write "5s"'],
    ['5y', 'a string that is no duration'],
    ['Infinitys', 'a string that is no duration'],
  ])('%j is an InvalidTTLError naming the value, the op and the key', (ttl, mention) => {
    const error = thrown(() => toTtlMs(ttl, 'peek', 'user:1')) as InvalidTTLError;
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.code).toBe('E_INVALID_TTL');
    expect(error.op).toBe('peek');
    expect(error.ttlMs).toBe(ttl);
    expect(error.message).toContain(`got ${JSON.stringify(ttl)} (string)`);
    expect(error.message).toContain('redcache: peek:');
    expect(error.message).toContain('"user:1"');
    expect(error.message).toContain(mention);
  });

  it('a string beyond the bound names the bound', () => {
    const error = thrown(() => toTtlMs('200000000d', 'touch', 'k')) as InvalidTTLError;
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain('9223372036854');
    expect(error.message).toContain('got "200000000d" (string)');
  });

  it('stays right past the strings it remembers (more distinct strings than it keeps)', () => {
    for (let ms = 1; ms <= 600; ms++) expect(toTtlMs(`${ms}ms`, 'get', 'k')).toBe(ms);
    for (let ms = 1; ms <= 600; ms++) expect(toTtlMs(`${ms}ms`, 'get', 'k')).toBe(ms);
  });
});

describe('decimal durations', () => {
  it.each([
    ['2.007s', 2_007],
    ['0.07h', 252_000],
    ['1.1s', 1_100],
    ['0.3m', 18_000],
    ['4.35s', 4_350],
    ['1.5ms', 2],
  ])(
    '%s is %d ms, not a millisecond more (was: a float product rounded up, 2.007s read as 2008 ms)',
    (text, ms) => {
      expect(toTtlMs(text, 'get', 'k')).toBe(ms);
    },
  );
});

describe('parseDuration and suggestDuration', () => {
  it('parseDuration reads the grammar only, unrounded; 0s parses to 0 (callers refuse it)', () => {
    expect(parseDuration('1.5ms')).toBe(1.5);
    expect(parseDuration('0s')).toBe(0);
    for (const text of [
      '',
      's',
      '5',
      '5 s',
      '-5s',
      '+5s',
      '5S',
      '1e3s',
      '.5s',
      '5.s',
      '5sec',
      '5ms ',
      '0x10s',
    ])
      expect(parseDuration(text), text).toBeUndefined();
  });

  it('suggestDuration guesses only from a number and a word it knows', () => {
    expect(suggestDuration('2 hours')).toBe('2h');
    expect(suggestDuration('1 day')).toBe('1d');
    expect(suggestDuration('30 secs')).toBe('30s');
    expect(suggestDuration('10 milliseconds')).toBe('10ms');
    expect(suggestDuration('5 fortnights')).toBeUndefined();
    expect(suggestDuration('soon')).toBeUndefined();
  });
});
