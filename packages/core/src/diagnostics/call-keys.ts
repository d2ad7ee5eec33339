import type { KeyCodec } from '../codec.js';

/**
 * The Redis keys of an observed call, for its event (before the call checks them): each key
 * encoded once, duplicates once; none when the codec throws or gives a non-string, or `keys`
 * is a string (the call itself then fails, naming the key).
 *
 * @param codec - the view's key codec
 * @param keys - the caller's keys
 * @returns the Redis keys, in the order first seen
 */
export function callKeys<K>(codec: KeyCodec<K>, keys: Iterable<K>): readonly string[] {
  // A string is no list of keys (the call refuses it), not one key per character.
  if (typeof keys === 'string') return [];
  const encoded = new Set<string>();
  try {
    for (const key of keys) {
      const redisKey: unknown = codec.encodeKey(key);
      if (typeof redisKey !== 'string') return [];
      encoded.add(redisKey);
    }
  } catch {
    return [];
  }
  return [...encoded];
}
