import { type Cache, type Conn, newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { PRIMED_TTL_MS, PRIMED_VALUE } from './bench-keys.js';
import type { Contender } from './rounds.js';

/** Keys written per multi-key call. */
export const WRITE_BATCH = 10;

/**
 * The write path, one sequential call at a time: `set` (write lock, loader, CAS), `forceSet`
 * (one SET), `touch` and `del` (one command), and the 10-key `setMulti` / `forceSetMulti`
 * (one pipeline per phase); plus a plain SET through a node-redis client for scale.
 */
export function writeContenders(
  conn: Conn,
  prefix: string,
  plainSet: (key: string, value: string) => Promise<unknown>,
): { contenders: Contender[]; keys: string[] } {
  const cache: Cache<string, string> = newStringCache(conn, StringCodec);
  const key = `${prefix}write`;
  const batch = Array.from({ length: WRITE_BATCH }, (_, i) => `${prefix}write:${i}`);
  const loader = async (): Promise<string> => PRIMED_VALUE;
  const batchLoader = async (keys: string[]) => new Map(keys.map((k) => [k, PRIMED_VALUE]));
  const values = new Map(batch.map((k) => [k, PRIMED_VALUE]));
  const one = (name: string, operation: () => Promise<unknown>): Contender => ({ name, operation, batch: 1 });
  return {
    contenders: [
      one('set (write lock + loader + CAS)', () => cache.set(key, PRIMED_TTL_MS, loader)),
      one('forceSet', () => cache.forceSet(key, PRIMED_TTL_MS, PRIMED_VALUE)),
      one('touch', () => cache.touch(key, PRIMED_TTL_MS)),
      one('del', () => cache.del(`${key}:del`)),
      one(`setMulti (${WRITE_BATCH} keys)`, () => cache.setMulti(batch, PRIMED_TTL_MS, batchLoader)),
      one(`forceSetMulti (${WRITE_BATCH} keys)`, () => cache.forceSetMulti(values, PRIMED_TTL_MS)),
      one('node-redis SET (1 round trip)', () => plainSet(`${key}:plain`, PRIMED_VALUE)),
    ],
    keys: [key, `${key}:plain`, ...batch],
  };
}

/**
 * Hits with refresh-ahead on and every hit due for refresh (fraction 0.999, beta 0): what
 * the XFetch check, the local dedup and the queue cost on the hit path, against plain hits.
 */
export async function refreshHitContenders(
  url: string,
  prefix: string,
): Promise<{ contenders: Contender[]; keys: string[]; close(): Promise<void> }> {
  const refreshing = await connect({ url }, { refreshAfterFraction: 0.999, refreshBeta: 0 });
  const key = `${prefix}refresh-hit`;
  const cache = newStringCache(refreshing, StringCodec);
  const slowLoader = async (): Promise<string> => {
    await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
    return PRIMED_VALUE;
  };
  await cache.get(key, PRIMED_TTL_MS, async () => PRIMED_VALUE);
  await new Promise((resolve) => setTimeout(resolve, 5));
  return {
    contenders: [
      {
        name: 'near-cache get, every hit due for refresh',
        operation: () => cache.get(key, PRIMED_TTL_MS, slowLoader),
      },
    ],
    // The refresh lock is left to expire when close() cuts the refresh short: clean it up too.
    keys: [key, `__redcache:refresh:{${key}}`],
    close: () => refreshing.close(),
  };
}
