/**
 * Freezes a value and everything reachable from it, as the real cache freezes what it
 * shares between callers (bytes excepted: typed arrays cannot be frozen).
 */
export function deepFreeze<V>(value: V): V {
  freeze(value, new WeakSet());
  return value;
}

function freeze(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) freeze((value as Record<string | symbol, unknown>)[key], seen);
}
