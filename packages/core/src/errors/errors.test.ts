import { describe, expect, it } from 'vitest';
import type { RedcacheErrorCode } from './errors.js';
import {
  ClosedError,
  DecodeError,
  describeKey,
  EncodeError,
  InvalidKeyError,
  InvalidOptionsError,
  InvalidTTLError,
  LockLostError,
  MissingLoaderResultError,
  messageOf,
  RedcacheError,
  RedisCommandError,
} from './errors.js';

interface Case {
  readonly label: string;
  readonly make: () => RedcacheError;
  readonly code: RedcacheErrorCode;
  readonly name: string;
  /** Substrings the message must contain: the key and the operation at least. */
  readonly mentions: readonly string[];
  readonly op: string | undefined;
  readonly key: unknown;
  readonly cause: unknown;
}

const boom = new Error('boom');
const refused = new Error('ECONNREFUSED 127.0.0.1:6379');

const cases: readonly Case[] = [
  {
    label: 'DecodeError',
    make: () => new DecodeError('get', 'user:1', boom),
    code: 'E_DECODE',
    name: 'DecodeError',
    mentions: ['get', '"user:1"', 'decode', 'boom'],
    op: 'get',
    key: 'user:1',
    cause: boom,
  },
  {
    label: 'EncodeError',
    make: () => new EncodeError('forceSet', 42, boom),
    code: 'E_ENCODE',
    name: 'EncodeError',
    mentions: ['forceSet', '42', 'encode', 'boom'],
    op: 'forceSet',
    key: 42,
    cause: boom,
  },
  {
    label: 'InvalidKeyError with a cause',
    make: () => new InvalidKeyError('getMulti', { id: 7 }, 'the key codec threw', boom),
    code: 'E_INVALID_KEY',
    name: 'InvalidKeyError',
    mentions: ['getMulti', '{"id":7}', 'the key codec threw'],
    op: 'getMulti',
    key: { id: 7 },
    cause: boom,
  },
  {
    label: 'InvalidKeyError without a cause',
    make: () => new InvalidKeyError('set', 'k', 'the key codec returned an empty string'),
    code: 'E_INVALID_KEY',
    name: 'InvalidKeyError',
    mentions: ['set', '"k"', 'empty string'],
    op: 'set',
    key: 'k',
    cause: undefined,
  },
  {
    label: 'InvalidTTLError',
    make: () => new InvalidTTLError('touch', 'session:9', -5),
    code: 'E_INVALID_TTL',
    name: 'InvalidTTLError',
    mentions: ['touch', '"session:9"', '-5', 'ttl'],
    op: 'touch',
    key: 'session:9',
    cause: undefined,
  },
  {
    label: 'LockLostError',
    make: () => new LockLostError('set', 'user:2'),
    code: 'E_LOCK_LOST',
    name: 'LockLostError',
    mentions: ['set', '"user:2"', 'lock lost'],
    op: 'set',
    key: 'user:2',
    cause: undefined,
  },
  {
    label: 'MissingLoaderResultError with one key',
    make: () => new MissingLoaderResultError('getMulti', ['a']),
    code: 'E_LOADER',
    name: 'MissingLoaderResultError',
    mentions: ['getMulti', '"a"'],
    op: 'getMulti',
    key: 'a',
    cause: undefined,
  },
  {
    label: 'MissingLoaderResultError with many keys',
    make: () => new MissingLoaderResultError('setMulti', ['a', 'b']),
    code: 'E_LOADER',
    name: 'MissingLoaderResultError',
    mentions: ['setMulti', '"a"', '"b"'],
    op: 'setMulti',
    key: ['a', 'b'],
    cause: undefined,
  },
  {
    label: 'InvalidOptionsError',
    make: () =>
      new InvalidOptionsError(['lockTTLMs: must be at least 100 ms', 'refreshWorkers: must be an integer']),
    code: 'E_INVALID_OPTIONS',
    name: 'InvalidOptionsError',
    mentions: ['invalid options', 'lockTTLMs: must be at least 100 ms', 'refreshWorkers: must be an integer'],
    op: 'open',
    key: undefined,
    cause: undefined,
  },
  {
    label: 'ClosedError with op and key',
    make: () => new ClosedError('get', 'user:3'),
    code: 'E_CLOSED',
    name: 'ClosedError',
    mentions: ['closed', 'get', '"user:3"'],
    op: 'get',
    key: 'user:3',
    cause: undefined,
  },
  {
    label: 'ClosedError with op only',
    make: () => new ClosedError('delMulti'),
    code: 'E_CLOSED',
    name: 'ClosedError',
    mentions: ['closed', 'delMulti'],
    op: 'delMulti',
    key: undefined,
    cause: undefined,
  },
  {
    label: 'RedisCommandError',
    make: () => new RedisCommandError('read', 'user:4', refused),
    code: 'E_REDIS',
    name: 'RedisCommandError',
    mentions: ['read', '"user:4"', 'ECONNREFUSED'],
    op: 'read',
    key: 'user:4',
    cause: refused,
  },
];

describe.each(cases)('$label', ({ make, code, name, mentions, op, key, cause }) => {
  const error = make();

  it(`has code ${code} and name ${name}`, () => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
  });

  it('is an Error and a RedcacheError', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(RedcacheError);
    expect(RedcacheError.isInstance(error)).toBe(true);
  });

  it('names the key and the operation in its message', () => {
    expect(error.message).toMatch(/^redcache: /);
    for (const part of mentions) expect(error.message).toContain(part);
  });

  it('carries op and key in context', () => {
    expect(error.op).toBe(op);
    expect(error.key).toEqual(key);
  });

  it(cause === undefined ? 'has no cause' : 'keeps the cause', () => {
    if (cause === undefined) {
      expect('cause' in error).toBe(false);
    } else {
      expect(error.cause).toBe(cause);
    }
  });

  it('has a stack', () => {
    expect(error.stack).toContain(name);
  });
});

describe('specific fields', () => {
  it('InvalidTTLError keeps the ttl it was given', () => {
    expect(new InvalidTTLError('get', 'k', Number.NaN).ttlMs).toBeNaN();
    expect(new InvalidTTLError('get', 'k', 0).message).toContain('got 0');
  });

  it('MissingLoaderResultError keeps the keys', () => {
    expect(new MissingLoaderResultError('getMulti', ['x', 'y']).keys).toEqual(['x', 'y']);
  });

  it('InvalidOptionsError keeps the issues', () => {
    expect(new InvalidOptionsError(['a: b']).issues).toEqual(['a: b']);
  });

  it('ClosedError without op says only that the connection is closed', () => {
    const error = new ClosedError();
    expect(error.message).toBe('redcache: connection closed');
    expect(error.op).toBeUndefined();
  });

  it('takes the message of a non-Error cause as its string form', () => {
    expect(new RedisCommandError('del', 'k', 'LOADING Redis is loading').message).toContain(
      'LOADING Redis is loading',
    );
    expect(new RedisCommandError('del', 'k', 'LOADING').cause).toBe('LOADING');
  });

  it('the base class takes any code and context', () => {
    const error = new RedcacheError('E_BATCH', 'redcache: setMulti: 1 failed', {
      op: 'setMulti',
      key: ['a'],
      cause: boom,
    });
    expect(error.code).toBe('E_BATCH');
    expect(error.name).toBe('RedcacheError');
    expect(error.op).toBe('setMulti');
    expect(error.key).toEqual(['a']);
    expect(error.cause).toBe(boom);
  });
});

describe('RedcacheError.isInstance', () => {
  it('is true for a plain object carrying the Symbol.for("redcache.error") marker (another copy of the package)', () => {
    const foreign = Object.assign(new Error('from another copy'), { code: 'E_DECODE' });
    Object.defineProperty(foreign, Symbol.for('redcache.error'), { value: true });
    expect(foreign).not.toBeInstanceOf(RedcacheError);
    expect(RedcacheError.isInstance(foreign)).toBe(true);
    expect(RedcacheError.isInstance({ [Symbol.for('redcache.error')]: true })).toBe(true);
  });

  it('is false when the marker is not exactly true', () => {
    expect(RedcacheError.isInstance({ [Symbol.for('redcache.error')]: 'yes' })).toBe(false);
    expect(RedcacheError.isInstance({ [Symbol.for('redcache.error')]: 1 })).toBe(false);
    expect(RedcacheError.isInstance({ [Symbol('redcache.error')]: true })).toBe(false);
    expect(RedcacheError.isInstance({ 'redcache.error': true })).toBe(false);
  });

  it.each([
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    ['an Error with a redcache-looking code', Object.assign(new Error('x'), { code: 'E_DECODE' })],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'redcache: error'],
    ['a number', 1],
    ['an empty object', {}],
  ])('is false for %s', (_label, value) => {
    expect(RedcacheError.isInstance(value)).toBe(false);
  });

  it('does not expose the marker as an enumerable property', () => {
    const error = new LockLostError('get', 'k');
    expect(Object.getOwnPropertySymbols(error)).toContain(Symbol.for('redcache.error'));
    expect(Object.keys(error)).not.toContain('redcache.error');
    expect(JSON.stringify(Object.fromEntries(Object.entries(error)))).not.toContain('redcache.error');
  });
});

describe('describeKey', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'user:1', '"user:1"'],
    ['a string with quotes', 'a"b', '"a\\"b"'],
    ['a number', 42, '42'],
    ['an object', { id: 1 }, '{"id":1}'],
    ['an array', ['a', 1], '["a",1]'],
    ['undefined', undefined, 'undefined'],
    ['a bigint', 10n, '10'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('formats %s', (_label, key, expected) => {
    expect(describeKey(key)).toBe(expected);
  });
});

describe('messageOf', () => {
  it('takes the message of an Error and the string form of anything else', () => {
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(404)).toBe('404');
  });

  it('names an Error that has no message by its class, so an error message never ends in ": "', () => {
    class TimeoutError extends Error {}
    expect(messageOf(new TimeoutError())).toBe('TimeoutError (no message)');
    const named = new Error();
    named.name = 'AbortError';
    expect(messageOf(named)).toBe('AbortError (no message)');
    expect(messageOf(new Error())).toBe('Error (no message)');
  });
});
