import { type Cache, type Conn, newStringCache, StringCodec } from '@redcache/core';
import { createClient } from 'redis';
import { PRIMED_TTL_MS, PRIMED_VALUE } from './bench-keys.js';
import type { Contender } from './rounds.js';

/** What the hit contenders need torn down, and whether the node-redis cache really hit. */
export interface HitContenders {
  readonly contenders: readonly Contender[];
  /** node-redis' own cache counters, read after the rounds. */
  cscStats(): { hits: number; misses: number };
  close(): Promise<void>;
}

const neverCalled = async (): Promise<string> => {
  throw new Error('bench: a primed key reached the loader');
};

/**
 * The three ways to answer a read of a primed key: redcache's near cache, node-redis'
 * client-side cache (RESP3 tracking, a separate client), and a bare `Map` behind an
 * awaited `async` function (the floor: what an awaited in-memory lookup costs at all).
 */
export async function hitContenders(url: string, conn: Conn, prefix: string): Promise<HitContenders> {
  const key = `${prefix}hit`;
  const cache: Cache<string, string> = newStringCache(conn, StringCodec);
  await cache.get(key, PRIMED_TTL_MS, async () => PRIMED_VALUE);

  const csc = createClient({ url, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 10_000 } });
  await csc.connect();
  const cscKey = `${prefix}csc`;
  await csc.set(cscKey, PRIMED_VALUE, { expiration: { type: 'PX', value: PRIMED_TTL_MS } });
  if ((await csc.get(cscKey)) !== PRIMED_VALUE) throw new Error('bench: node-redis CSC key not primed');
  const primedStats = csc.clientSideCache!.stats();

  const map = new Map([[key, PRIMED_VALUE]]);
  const lookup = async (k: string): Promise<string | undefined> => map.get(k);

  return {
    contenders: [
      { name: 'redcache near-cache get', operation: () => cache.get(key, PRIMED_TTL_MS, neverCalled) },
      { name: 'node-redis CSC GET', operation: () => csc.get(cscKey) },
      { name: 'Map lookup (async, awaited)', operation: () => lookup(key) },
    ],
    cscStats() {
      const stats = csc.clientSideCache!.stats();
      return {
        hits: stats.hitCount - primedStats.hitCount,
        misses: stats.missCount - primedStats.missCount,
      };
    },
    async close() {
      await csc.del(cscKey);
      await csc.close();
    },
  };
}
