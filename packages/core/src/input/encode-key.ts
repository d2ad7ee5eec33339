import type { KeyCodec } from '../codec.js';
import { InvalidKeyError } from '../errors/errors.js';

/** `String.prototype.isWellFormed` (Node 20; typed only in lib ES2024, which this build does not load). */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Encodes a key, or throws `InvalidKeyError` naming it: the codec threw, or gave an empty or
 * non-string key, or one that is not well-formed UTF-16. Redis stores a lone surrogate as
 * U+FFFD, so such a key would not be the key Redis tracks and invalidates, and two JS keys
 * would share one Redis key.
 */
export function encodeKey<K>(codec: KeyCodec<K>, key: K, op: string): string {
  const encoded = encodeKeyForLookup(codec, key, op);
  assertWellFormedKey(encoded, key, op);
  return encoded;
}

/**
 * As `encodeKey`, without the scan for a lone surrogate: for a near-cache lookup, which only
 * finds keys that passed it when they were stored. A key not found goes through
 * `assertWellFormedKey` before anything else is done with it.
 */
export function encodeKeyForLookup<K>(codec: KeyCodec<K>, key: K, op: string): string {
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

/** Throws `InvalidKeyError` naming `key` when its encoding holds a lone surrogate (see `encodeKey`). */
export function assertWellFormedKey(encoded: string, key: unknown, op: string): void {
  if (!isWellFormed(encoded))
    throw new InvalidKeyError(
      op,
      key,
      'the key is not well-formed UTF-16 (it holds a lone surrogate, as a string cut inside an emoji does): Redis would store U+FFFD in its place',
    );
}
