import { describe, expect, it } from 'vitest';
import type { KeyCodec } from '../codec.js';
import {
  JSONCodec,
  keyCodecFunc,
  StringCodec,
  StringKeyCodec,
  textOf,
  UnsafeBytesCodec,
} from './ready-codecs.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** What the library stores for an encoded value: its UTF-8 bytes. */
const stored = (encoded: string | Uint8Array): Uint8Array =>
  typeof encoded === 'string' ? utf8(encoded) : encoded;

describe('StringCodec', () => {
  it.each(['', 'plain', 'é€', '😀 emoji 👩‍👩‍👧', 'with:colons', '__redcache:v1:0:x', '日本語'])(
    'round-trips %j through UTF-8 bytes',
    (text) => {
      expect(StringCodec.decode(stored(StringCodec.encode(text)))).toBe(text);
    },
  );

  it('encodes to the UTF-8 bytes of the string', () => {
    expect(Array.from(stored(StringCodec.encode('é😀')))).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('decodes from a Uint8Array', () => {
    expect(StringCodec.decode(new Uint8Array([0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]))).toBe('hé😀');
  });

  it('decodes from a subarray view, honouring its offset and length', () => {
    const whole = utf8('xxhello!');
    expect(StringCodec.decode(whole.subarray(2, 7))).toBe('hello');
  });

  it('decodes from a string unchanged', () => {
    expect(StringCodec.decode('hé😀')).toBe('hé😀');
  });

  it('decodes invalid UTF-8 with replacement characters rather than throwing', () => {
    expect(StringCodec.decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\uFFFDb');
  });

  it('textOf reads strings and bytes alike', () => {
    expect(textOf('abc')).toBe('abc');
    expect(textOf(utf8('abc'))).toBe('abc');
  });
});

describe('UnsafeBytesCodec', () => {
  it('decodes zero-copy: the same Uint8Array instance comes back', () => {
    const raw = new Uint8Array([0, 1, 255]);
    expect(UnsafeBytesCodec.decode(raw)).toBe(raw);
  });

  it('encodes zero-copy: the same Uint8Array instance is handed over', () => {
    const value = new Uint8Array([0, 1, 255]);
    expect(UnsafeBytesCodec.encode(value)).toBe(value);
  });

  it('keeps a subarray view as it is (no copy, same offset)', () => {
    const whole = new Uint8Array([9, 9, 1, 2, 3]);
    const view = whole.subarray(2);
    const decoded = UnsafeBytesCodec.decode(view);
    expect(decoded).toBe(view);
    expect(decoded.buffer).toBe(whole.buffer);
  });

  it('round-trips arbitrary bytes', () => {
    const value = new Uint8Array(256).map((_, i) => i);
    const decoded = UnsafeBytesCodec.decode(stored(UnsafeBytesCodec.encode(value)));
    expect(Array.from(decoded)).toEqual(Array.from(value));
  });

  it('decodes a string as its UTF-8 bytes', () => {
    expect(Array.from(UnsafeBytesCodec.decode('é'))).toEqual([0xc3, 0xa9]);
  });
});

describe('JSONCodec', () => {
  const codec = JSONCodec<unknown>();

  it.each([
    ['an object', { id: 1, name: 'ada', tags: ['a', 'b'], nested: { ok: true, none: null } }],
    ['an array', [1, 'two', { three: 3 }, [4], null]],
    ['null', null],
    ['zero', 0],
    ['a negative float', -12.5],
    ['a large safe integer', Number.MAX_SAFE_INTEGER],
    ['a string', 'he said "hi" 😀'],
    ['true', true],
    ['false', false],
    ['an empty object', {}],
    ['an empty array', []],
  ])('round-trips %s', (_label, value) => {
    const encoded = codec.encode(value);
    expect(codec.decode(stored(encoded))).toEqual(value);
    expect(codec.decode(typeof encoded === 'string' ? encoded : new TextDecoder().decode(encoded))).toEqual(
      value,
    );
  });

  it('encodes to JSON text', () => {
    expect(codec.encode({ a: [1, null], b: 'x' })).toBe('{"a":[1,null],"b":"x"}');
    expect(codec.encode(null)).toBe('null');
  });

  it('decodes JSON text written by another process', () => {
    expect(codec.decode(utf8('{"name":"ada","langs":["go","ts"]}'))).toEqual({
      name: 'ada',
      langs: ['go', 'ts'],
    });
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
  ])('throws TypeError when encoding %s', (_label, value) => {
    expect(() => codec.encode(value)).toThrow(TypeError);
  });

  it('throws when encoding a BigInt', () => {
    expect(() => codec.encode(10n)).toThrow(TypeError);
    expect(() => codec.encode({ n: 10n })).toThrow(TypeError);
  });

  it('throws when encoding a cyclic object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => codec.encode(cyclic)).toThrow(TypeError);
  });

  it('throws SyntaxError when decoding text that is not JSON', () => {
    expect(() => codec.decode(utf8('{not json'))).toThrow(SyntaxError);
    expect(() => codec.decode('')).toThrow(SyntaxError);
  });
});

describe('StringKeyCodec', () => {
  it.each(['k', 'user:1000', '{tag}rest', 'é😀', ' spaced '])('is the identity for %j', (key) => {
    expect(StringKeyCodec.encodeKey(key)).toBe(key);
  });
});

describe('keyCodecFunc', () => {
  it('adapts a function', () => {
    const codec: KeyCodec<number> = keyCodecFunc((id: number) => `user:${id}`);
    expect(codec.encodeKey(42)).toBe('user:42');
    expect(codec.encodeKey(7)).toBe('user:7');
  });

  it('calls the function once per key and passes its errors through', () => {
    const seen: Array<{ tenant: string; id: number }> = [];
    const codec = keyCodecFunc((key: { tenant: string; id: number }) => {
      seen.push(key);
      if (key.id < 0) throw new RangeError('negative id');
      return `{${key.tenant}}:${key.id}`;
    });
    expect(codec.encodeKey({ tenant: 'acme', id: 1 })).toBe('{acme}:1');
    expect(() => codec.encodeKey({ tenant: 'acme', id: -1 })).toThrow(RangeError);
    expect(seen).toEqual([
      { tenant: 'acme', id: 1 },
      { tenant: 'acme', id: -1 },
    ]);
  });
});
