/**
 * The key of a node-redis `'invalidate'` event as the engine wants it: the key as a string
 * (node-redis hands over a `Buffer`), `null` for a flush, or `undefined` for anything else
 * (which the drivers ignore).
 */
export function invalidatedKey(key: unknown): string | null | undefined {
  if (key === null || key === undefined) return null;
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8'); // what node-redis hands over: no new view
  if (key instanceof Uint8Array) {
    return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
  }
  return undefined;
}
