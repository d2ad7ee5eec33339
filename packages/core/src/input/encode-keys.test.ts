import { describe, expect, it, vi } from 'vitest';
import { keyCodecFunc, StringKeyCodec } from '../codec/ready-codecs.js';
import { InvalidKeyError } from '../errors/errors.js';
import { encodeKeys, encodeMapKeys } from './encode-keys.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const lowerCase = keyCodecFunc((key: string) => key.toLowerCase());

describe('encodeKeys', () => {
  it('gives the caller key by Redis key, in the order first seen', () => {
    const originals = encodeKeys(
      keyCodecFunc((id: number) => `user:${id}`),
      [3, 1, 2],
      'getMulti',
    );
    expect([...originals]).toEqual([
      ['user:3', 3],
      ['user:1', 1],
      ['user:2', 2],
    ]);
  });

  it('reads a key given twice once (duplicates are allowed), keeping its first place', () => {
    const encode = vi.fn((key: string) => key);
    const originals = encodeKeys(keyCodecFunc(encode), ['a', 'b', 'a', 'a'], 'delMulti');
    expect([...originals]).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  it('keeps one object key given twice (same object) and NaN given twice (SameValueZero)', () => {
    const key = { id: 1 };
    const byId = keyCodecFunc((k: { id: number }) => `id:${k.id}`);
    expect([...encodeKeys(byId, [key, key], 'touchMulti')]).toEqual([['id:1', key]]);
    const numbers = keyCodecFunc((n: number) => `n:${n}`);
    expect([...encodeKeys(numbers, [Number.NaN, Number.NaN], 'getMulti')]).toEqual([['n:NaN', Number.NaN]]);
    expect([...encodeKeys(numbers, [0, -0], 'getMulti')]).toEqual([['n:0', 0]]);
  });

  it('gives an empty map for no keys', () => {
    expect(encodeKeys(StringKeyCodec, [], 'getMulti').size).toBe(0);
  });

  // Defect 19 of issue 10: two different keys that the codec maps to one Redis key were merged.
  it('defect 19: rejects two different keys that encode to one Redis key, naming both', () => {
    const error = thrown(() => encodeKeys(lowerCase, ['x', 'User', 'y', 'USER'], 'setMulti'));
    expect(error).toBeInstanceOf(InvalidKeyError);
    const invalid = error as InvalidKeyError;
    expect(invalid.code).toBe('E_INVALID_KEY');
    expect(invalid.op).toBe('setMulti');
    expect(invalid.key).toEqual(['User', 'USER']);
    expect(invalid.message).toContain('setMulti');
    expect(invalid.message).toContain('"User"');
    expect(invalid.message).toContain('"USER"');
    expect(invalid.message).toContain('"user"');
  });

  it('defect 19: two distinct objects with one Redis key collide (keys are compared as a Map compares them)', () => {
    const byId = keyCodecFunc((k: { id: number }) => `id:${k.id}`);
    const error = thrown(() => encodeKeys(byId, [{ id: 1 }, { id: 1 }], 'getMulti')) as InvalidKeyError;
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect(error.message).toContain('{"id":1}');
  });

  it('rejects a key the codec cannot encode with its own error (op and key named)', () => {
    const error = thrown(() => encodeKeys(StringKeyCodec, ['ok', ''], 'getMulti')) as InvalidKeyError;
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect(error.key).toBe('');
    expect(error.message).toContain('empty');
  });

  // Defect 15 of issue 10: setMulti('abc', …) wrote one key per character; getMulti('abc') threw
  // "keys.map is not a function".
  it.each([
    ['a string', 'abc', 'string'],
    ['a Set', new Set(['a']), 'Set'],
    ['a Map', new Map([['a', 1]]), 'Map'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 3, 'number'],
    ['an array-like object', { length: 1, 0: 'a' }, 'Object'],
  ])('defect 15: rejects %s instead of an array, naming the op', (_label, keys, kind) => {
    const encode = vi.fn((key: string) => key);
    const error = thrown(() => encodeKeys(keyCodecFunc(encode), keys, 'touchMulti'));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('touchMulti');
    expect((error as Error).message).toContain('must be an array');
    expect((error as Error).message).toContain(`got ${kind}`);
    expect(encode).not.toHaveBeenCalled();
  });
});

describe('encodeMapKeys', () => {
  it('gives the caller key by Redis key', () => {
    const values = new Map([
      ['b', 1],
      ['a', 2],
    ]);
    expect([...encodeMapKeys(StringKeyCodec, values, 'forceSetMulti')]).toEqual([
      ['b', 'b'],
      ['a', 'a'],
    ]);
  });

  it('defect 19: rejects two entries whose keys encode to one Redis key', () => {
    const values = new Map([
      ['Key', 1],
      ['KEY', 2],
    ]);
    const error = thrown(() => encodeMapKeys(lowerCase, values, 'forceSetMulti')) as InvalidKeyError;
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect(error.op).toBe('forceSetMulti');
    expect(error.key).toEqual(['Key', 'KEY']);
  });

  it.each([
    ['an array of entries', [['a', 1]], 'Array'],
    ['a plain object', { a: 1 }, 'Object'],
    ['a string', 'abc', 'string'],
    ['undefined', undefined, 'undefined'],
  ])('defect 15: rejects %s instead of a Map, naming the op', (_label, values, kind) => {
    const error = thrown(() => encodeMapKeys(StringKeyCodec, values, 'forceSetMulti'));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('forceSetMulti');
    expect((error as Error).message).toContain('must be a Map');
    expect((error as Error).message).toContain(`got ${kind}`);
  });
});
