import { describe, expect, it, vi } from 'vitest';
import { JSONCodec, StringCodec, UnsafeBytesCodec } from '../codec/ready-codecs.js';
import type { Codec } from '../codec.js';
import { wrapEnvelope } from '../wire/envelope.js';
import { keepWritten, type Written } from './keep-written.js';

const noNearCache = { nearCache: undefined, options: {} } as unknown as Parameters<typeof keepWritten>[0];

const written = (payload: string | Uint8Array): Written => ({
  key: 'k',
  original: 'k',
  payload,
  raw: wrapEnvelope(payload, 1000),
  deltaNs: 1000,
});

describe('keepWritten: what the writer hands its callers', () => {
  it('bytes: a copy of what was stored, not the array the loader can still change', () => {
    const loaded = new Uint8Array([1, 2, 3]);
    const value = keepWritten(
      noNearCache,
      'get',
      UnsafeBytesCodec,
      written(loaded),
      1000,
      false,
    ) as Uint8Array;
    loaded[0] = 99;
    expect([...value]).toEqual([1, 2, 3]);
  });

  it('bytes: exactly the stored payload, without decoding', () => {
    const stored = written(new Uint8Array([7, 8]));
    const decode = vi.spyOn(UnsafeBytesCodec, 'decode');
    try {
      const value = keepWritten(noNearCache, 'get', UnsafeBytesCodec, stored, 1000, false) as Uint8Array;
      expect(value.buffer).toBe(stored.raw.buffer);
      expect([...value]).toEqual([7, 8]);
      expect(decode).not.toHaveBeenCalled();
    } finally {
      decode.mockRestore();
    }
  });

  it('strings: the very string written, without decoding', () => {
    const decode = vi.spyOn(StringCodec, 'decode');
    try {
      expect(keepWritten(noNearCache, 'get', StringCodec, written('héllo'), 1000, false)).toBe('héllo');
      expect(decode).not.toHaveBeenCalled();
    } finally {
      decode.mockRestore();
    }
  });

  it('any other codec decodes what was written, deep-frozen', () => {
    const value = keepWritten(
      noNearCache,
      'get',
      JSONCodec<{ a: number[] }>(),
      written('{"a":[1]}'),
      1000,
      false,
    );
    expect(value).toEqual({ a: [1] });
    expect(Object.isFrozen((value as { a: number[] }).a)).toBe(true);
  });

  it('a codec that writes bytes and reads text decodes from the stored bytes', () => {
    const codec: Codec<string> = {
      encode: (value) => new TextEncoder().encode(value),
      decode: (raw) => (typeof raw === 'string' ? raw : new TextDecoder().decode(raw)),
    };
    const loaded = codec.encode('abc') as Uint8Array;
    const stored = written(loaded);
    loaded[0] = 0x7a;
    expect(keepWritten(noNearCache, 'get', codec as Codec<unknown>, stored, 1000, false)).toBe('abc');
  });
});
