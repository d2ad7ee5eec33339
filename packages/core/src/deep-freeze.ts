/**
 * Freezes a decoded value and everything it holds, so that callers sharing it from the near
 * cache cannot change it under each other. Typed arrays and other binary views cannot be
 * frozen: bytes are borrowed, as `UnsafeBytesCodec` documents.
 */
export function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value))
    return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<string | symbol, unknown>)[key]);
  }
  return value;
}
