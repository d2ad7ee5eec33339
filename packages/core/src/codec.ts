/**
 * Turns values into the bytes stored in Redis and back. `encode`'s output is handed to the
 * library; `decode`'s input is borrowed for the duration of the call.
 */
export interface Codec<V> {
  encode(value: V): string | Uint8Array;
  decode(raw: Uint8Array | string): V;
}

/** Turns a typed key into its Redis key. Must be deterministic, non-empty and injective. */
export interface KeyCodec<K> {
  encodeKey(key: K): string;
}
