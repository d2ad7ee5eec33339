/** The channel Redis publishes a redirected connection's invalidations on (RESP2). */
export const INVALIDATION_CHANNEL = '__redis__:invalidate';

/**
 * The keys of one `__redis__:invalidate` message, as ioredis's `messageBuffer` event gives
 * it: an array of keys, or `null` when every key may have changed (`FLUSHALL`, `FLUSHDB`).
 * A payload of any other shape counts as `null` too: the driver cannot tell which keys it
 * names, and a needless flush costs re-reads, not staleness.
 */
export function invalidatedKeys(message: unknown): readonly string[] | null {
  if (!Array.isArray(message)) return null;
  const keys: string[] = [];
  for (const key of message) {
    if (Buffer.isBuffer(key)) keys.push(key.toString());
    else if (typeof key === 'string') keys.push(key);
    else return null;
  }
  return keys;
}
