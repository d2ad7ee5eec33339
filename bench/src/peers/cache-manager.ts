import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';

/**
 * cache-manager 7 as its docs show it: a Keyv over cacheable's `CacheableMemory` in front
 * of a Keyv over `@keyv/redis`. `wrap` for a get (no lock; it coalesces calls in-process),
 * `mget` then `mset` of the missing keys for many.
 */
export async function openCacheManager(options: PeerOptions): Promise<PeerCache> {
  const memory = new Keyv({ store: new CacheableMemory({ ttl: PEER_TTL_MS, lruSize: 100_000 }) });
  const redis = new Keyv({ store: new KeyvRedis(options.url), namespace: options.prefix.replace(/:$/, '') });
  const cache = createCache({ stores: [memory, redis], ttl: PEER_TTL_MS });
  return {
    name: 'cache-manager',
    manyHow: 'mget, then mset of the missing',
    key: (name) => flatKey('', name), // it prefixes internally: its own cost
    get: (key, load) => cache.wrap(key, load, PEER_TTL_MS),
    async getMany(keys, load) {
      const found = await cache.mget<unknown>([...keys]);
      const missing = keys.filter((_, i) => found[i] === undefined || found[i] === null);
      if (missing.length === 0) return found;
      const loaded = await Promise.all(missing.map((key) => load(key)));
      await cache.mset(missing.map((key, i) => ({ key, value: loaded[i], ttl: PEER_TTL_MS })));
      return found;
    },
    set: (key, value) => cache.set(key, value, PEER_TTL_MS),
    async close() {
      await cache.disconnect();
    },
  };
}
