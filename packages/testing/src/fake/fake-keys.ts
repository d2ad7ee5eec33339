import { InvalidKeyError, type KeyCodec } from '@redcache/core';

/**
 * Key identity in the fake: with a key codec, the encoded string (as the real cache keys
 * Redis); without one, the key itself (Map identity: fine for strings and numbers).
 */
export class FakeKeys<K> {
  readonly #codec: KeyCodec<K> | undefined;

  constructor(codec: KeyCodec<K> | undefined) {
    this.#codec = codec;
  }

  /** The identity of `key`; `InvalidKeyError` when the key codec throws or gives an empty string. */
  idOf(op: string, key: K): unknown {
    if (this.#codec === undefined) return key;
    let encoded: unknown;
    try {
      encoded = this.#codec.encodeKey(key);
    } catch (error) {
      throw new InvalidKeyError(op, key, 'the key codec threw', error);
    }
    if (typeof encoded !== 'string' || encoded.length === 0) {
      throw new InvalidKeyError(op, key, 'the key codec must return a non-empty string');
    }
    return encoded;
  }

  /** The distinct keys of a call, by identity (the first of duplicates kept), in order. */
  distinct(op: string, keys: Iterable<K>): Map<unknown, K> {
    const byId = new Map<unknown, K>();
    for (const key of keys) {
      const id = this.idOf(op, key);
      if (!byId.has(id)) byId.set(id, key);
    }
    return byId;
  }

  /** A multi loader's answer for the keys asked only (others ignored); a TypeError if it is not a Map. */
  answered<V>(op: string, asked: ReadonlyMap<unknown, K>, answer: unknown): Map<unknown, V> {
    if (!(answer instanceof Map)) {
      throw new TypeError(`redcache: ${op}: the loader must resolve to a Map, got ${typeof answer}`);
    }
    const values = new Map<unknown, V>();
    for (const [key, value] of answer as Map<K, V>) {
      let id: unknown;
      try {
        id = this.idOf(op, key);
      } catch {
        continue;
      }
      if (asked.has(id)) values.set(id, value);
    }
    return values;
  }
}
