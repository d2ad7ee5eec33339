import type { KeyCodec } from '../codec.js';
import { InvalidKeyError } from '../errors/errors.js';

/** Encodes a key, or throws `InvalidKeyError` naming it: the codec threw, or gave an empty or non-string key. */
export function encodeKey<K>(codec: KeyCodec<K>, key: K, op: string): string {
  let encoded: unknown;
  try {
    encoded = codec.encodeKey(key);
  } catch (error) {
    throw new InvalidKeyError(op, key, 'the key codec threw', error);
  }
  if (typeof encoded !== 'string')
    throw new InvalidKeyError(op, key, `the key codec returned ${typeof encoded}, not a string`);
  if (encoded.length === 0) throw new InvalidKeyError(op, key, 'the key codec returned an empty string');
  return encoded;
}
