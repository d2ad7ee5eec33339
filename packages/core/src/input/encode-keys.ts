import type { KeyCodec } from '../codec.js';
import { describeKey, InvalidKeyError } from '../errors/errors.js';
import { encodeKey } from './encode-key.js';

/**
 * Encodes the keys of a multi-key call before any I/O: `keys` must be an array (a string
 * would otherwise be taken one character per key). Returns the caller's key by Redis key, in
 * the order first seen. A key given twice is read once; two different keys (as a `Map` tells
 * keys apart) that encode to one Redis key are an `InvalidKeyError` naming both.
 */
export function encodeKeys<K>(codec: KeyCodec<K>, keys: unknown, op: string): Map<string, K> {
  if (!Array.isArray(keys))
    throw new TypeError(`redcache: ${op}: keys must be an array, got ${kindOf(keys)}`);
  return encodeAll(codec, keys as readonly K[], op);
}

/** As `encodeKeys`, for the keys of `values`, which must be a `Map` (`forceSetMulti`). */
export function encodeMapKeys<K>(codec: KeyCodec<K>, values: unknown, op: string): Map<string, K> {
  if (!isMap(values)) throw new TypeError(`redcache: ${op}: values must be a Map, got ${kindOf(values)}`);
  return encodeAll(codec, (values as ReadonlyMap<K, unknown>).keys(), op);
}

function encodeAll<K>(codec: KeyCodec<K>, keys: Iterable<K>, op: string): Map<string, K> {
  const originals = new Map<string, K>();
  for (const key of keys) {
    const redisKey = encodeKey(codec, key, op);
    if (!originals.has(redisKey)) {
      originals.set(redisKey, key);
      continue;
    }
    const first = originals.get(redisKey) as K;
    if (!sameValueZero(first, key)) {
      throw new InvalidKeyError(
        op,
        [first, key],
        `two different keys, ${describeKey(first)} and ${describeKey(key)}, encode to the same Redis key ${JSON.stringify(redisKey)}: a key codec must map different keys to different Redis keys`,
      );
    }
  }
  return originals;
}

/** How a `Map` compares keys. */
function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A `Map`, or any object with the `ReadonlyMap` methods the call reads. */
function isMap(value: unknown): boolean {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.get === 'function' && typeof candidate.keys === 'function';
}

/** `string`, `undefined`, `null`, or an object's constructor name (`Set`, `Object`). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as { constructor?: { name?: unknown } }).constructor?.name?.toString() || 'object';
}
