import { openBentocache } from './bentocache.js';
import { openCacheManager } from './cache-manager.js';
import { openNodeRedisCsc } from './node-redis-csc.js';
import type { PeerCache, PeerOptions } from './peer.js';
import { redcacheOn } from './redcache.js';

/** The peers that sit on Redis, by the name a child process is told. */
export const REDIS_PEERS = {
  redcache: redcacheOn('node-redis'),
  'redcache-ioredis': redcacheOn('ioredis'),
  bentocache: openBentocache,
  'cache-manager': openCacheManager,
  'node-redis-csc': openNodeRedisCsc,
} as const satisfies Record<string, (options: PeerOptions) => Promise<PeerCache>>;

export type RedisPeerName = keyof typeof REDIS_PEERS;

/** Opens `name` with a prefix of its own under `runPrefix`. */
export function openPeer(
  name: RedisPeerName,
  url: string,
  runPrefix: string,
  json = false,
): Promise<PeerCache> {
  return REDIS_PEERS[name]({ url, prefix: `${runPrefix}${name}:`, json });
}
