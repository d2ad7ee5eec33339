import { type Cache, JSONCodec, newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';
import { REDCACHE_EVENTS, REDCACHE_HEALTH } from './redcache-health.js';

/**
 * redcache: a Conn on node-redis with default options (near cache on), `getMulti` for many
 * keys. Its metrics and debug events go to this process' tallies (redcache-health.ts), so
 * the bench can show that no round opened the breaker or flushed the near cache.
 */
export async function openRedcache(options: PeerOptions): Promise<PeerCache> {
  const conn = await connect({ url: options.url }, { metrics: REDCACHE_HEALTH, logger: REDCACHE_EVENTS });
  const cache: Cache<string, unknown> = newStringCache<unknown>(
    conn,
    options.json ? JSONCodec<unknown>() : (StringCodec as never),
  );
  return {
    name: 'redcache',
    manyHow: 'getMulti',
    key: (name) => flatKey(options.prefix, name),
    get: (key, load) => cache.get(key, PEER_TTL_MS, load),
    getMany: (keys, load) =>
      cache.getMulti(keys, PEER_TTL_MS, async (wanted) => {
        const values = await Promise.all(wanted.map((key) => load(key)));
        return new Map(wanted.map((key, i) => [key, values[i]]));
      }),
    set: (key, value) => cache.forceSet(key, PEER_TTL_MS, value),
    close: () => conn.close(),
  };
}
