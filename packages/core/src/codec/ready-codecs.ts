import type { Codec, KeyCodec } from '../codec.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Text from a raw payload.
 *
 * @param raw - a stored payload.
 * @returns it as a string, bytes decoded as UTF-8 (invalid sequences become U+FFFD).
 */
export function textOf(raw: Uint8Array | string): string {
  return typeof raw === 'string' ? raw : utf8.decode(raw);
}

/** Strings stored as UTF-8, unchanged. */
export const StringCodec: Codec<string> = {
  encode: (value) => value,
  decode: textOf,
};

/**
 * Bytes stored verbatim, zero-copy. A decoded value is borrowed: it may share memory with
 * the library and with other callers. Do not mutate it; copy it to keep a private version.
 */
export const UnsafeBytesCodec: Codec<Uint8Array> = {
  encode: (value) => value,
  decode: (raw) => (typeof raw === 'string' ? new TextEncoder().encode(raw) : raw),
};

/**
 * Values as JSON. `encode` throws for values JSON cannot represent (`undefined`, a function,
 * a symbol, a BigInt); the library reports that as an `EncodeError` naming the key. `decode`
 * throws for text that is not JSON, reported as a `DecodeError`. The value is not checked
 * against `V`: use {@link schemaCodec} for that.
 *
 * @returns a codec of `V` as JSON text.
 * @example
 * ```ts
 * const users = newCache(conn, StringKeyCodec, JSONCodec<User>());
 * ```
 */
export function JSONCodec<V>(): Codec<V> {
  return {
    encode(value) {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`JSON cannot represent a value of type ${typeof value}`);
      return text;
    },
    decode: (raw) => JSON.parse(textOf(raw)) as V,
  };
}

/** String keys used as they are. */
export const StringKeyCodec: KeyCodec<string> = { encodeKey: (key) => key };

/**
 * A key codec from a function.
 *
 * @param encode - turns a key into its Redis key: deterministic, non-empty, different for different keys.
 * @returns a `KeyCodec` calling `encode`.
 * @example
 * ```ts
 * const byId = keyCodecFunc((id: number) => `user:${id}`);
 * ```
 */
export function keyCodecFunc<K>(encode: (key: K) => string): KeyCodec<K> {
  return { encodeKey: encode };
}
