/**
 * Turns values into the bytes stored in Redis and back. `encode`'s output is handed to the
 * library; `decode`'s input is borrowed for the duration of the call.
 */
export interface Codec<V> {
  /**
   * @param value - a value to store.
   * @returns what is stored in Redis: a string (stored as UTF-8) or bytes.
   * @throws anything, for a value it cannot encode: the library reports it as an `EncodeError`
   *   naming the key (`cause` is what was thrown) and stores nothing.
   */
  encode(value: V): string | Uint8Array;
  /**
   * @param raw - what is stored in Redis, borrowed: copy it to keep it past the call.
   * @returns the value.
   * @throws anything, for bytes it cannot decode: the library reports it as a `DecodeError`
   *   naming the key (`cause` is what was thrown).
   */
  decode(raw: Uint8Array | string): V;
}

/** Turns a typed key into its Redis key. Must be deterministic, non-empty and injective. */
export interface KeyCodec<K> {
  /**
   * @param key - a key as the caller gives it.
   * @returns its Redis key: deterministic, non-empty, different for different keys.
   * @throws anything, for a key it refuses: the library reports it as an `InvalidKeyError`
   *   naming the key (as it does for an empty or non-string result).
   */
  encodeKey(key: K): string;
}
