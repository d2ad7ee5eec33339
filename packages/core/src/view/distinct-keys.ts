import type { KeyCodec } from '../codec.js';
import { encodeKey } from '../input/encode-key.js';

/** Encodes keys: the caller's key for each distinct Redis key, the first one kept. */
export function distinctKeys<K>(keyCodec: KeyCodec<K>, keys: Iterable<K>, op: string): Map<string, K> {
  const originals = new Map<string, K>();
  for (const key of keys) {
    const redisKey = encodeKey(keyCodec, key, op);
    if (!originals.has(redisKey)) originals.set(redisKey, key);
  }
  return originals;
}
