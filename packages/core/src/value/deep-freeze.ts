/**
 * Freezes a decoded value and everything it holds, so that callers sharing it from the near
 * cache cannot change it under each other. Typed arrays and other binary views cannot be
 * frozen: bytes are borrowed, as `UnsafeBytesCodec` documents. The contents of a Map, Set
 * or Date are not reachable by `Object.freeze`.
 */
export function deepFreeze<V>(value: V): V {
  // Text, numbers and bytes (the usual cache values) need no walk.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  freeze(value, new WeakSet());
  return value;
}

function freeze(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) freeze((value as Record<string | symbol, unknown>)[key], seen);
}
