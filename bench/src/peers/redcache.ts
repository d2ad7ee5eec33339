import { type Cache, type Conn, JSONCodec, newStringCache, type Options, StringCodec } from '@redcache/core';
import { connect as connectIoredis } from '@redcache/ioredis';
import { connect as connectNodeRedis } from '@redcache/node-redis';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';
import { REDCACHE_EVENTS, REDCACHE_HEALTH } from './redcache-health.js';

/** The Redis clients redcache runs on in the bench: each driver's `connect` on a single server. */
const DRIVERS = {
  'node-redis': (url: string, options: Options): Promise<Conn<unknown>> => connectNodeRedis({ url }, options),
  ioredis: (url: string, options: Options): Promise<Conn<unknown>> => connectIoredis(url, options),
} as const;

export type RedcacheDriver = keyof typeof DRIVERS;

/**
 * The contender's name in every table: `redcache` on node-redis (the one the targets of issue 12
 * are computed from), `redcache (ioredis)` on the ioredis driver.
 */
export const REDCACHE_NAME: Record<RedcacheDriver, string> = {
  'node-redis': 'redcache',
  ioredis: 'redcache (ioredis)',
};

/**
 * redcache on `driver`: a Conn with default options (near cache on), `getMulti` for many keys.
 * Its metrics and debug events go to this process' tallies (redcache-health.ts, shared by both
 * drivers), so the bench can show that no round opened the breaker or flushed the near cache.
 */
export function redcacheOn(driver: RedcacheDriver): (options: PeerOptions) => Promise<PeerCache> {
  return async (options) => {
    const conn = await DRIVERS[driver](options.url, { metrics: REDCACHE_HEALTH, logger: REDCACHE_EVENTS });
    const cache: Cache<string, unknown> = newStringCache<unknown>(
      conn,
      options.json ? JSONCodec<unknown>() : (StringCodec as never),
    );
    return {
      name: REDCACHE_NAME[driver],
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
  };
}
