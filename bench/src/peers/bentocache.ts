import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';

/** bentocache: memory L1 (its defaults) + redis L2 + redis bus, both on ioredis. */
export async function openBentocache(options: PeerOptions): Promise<PeerCache> {
  const url = new URL(options.url);
  const connection = { host: url.hostname, port: Number(url.port || 6379) };
  const bento = new BentoCache({
    default: 'tiered',
    // bentocache joins prefix and key with ':'; the run prefix ends with one already.
    prefix: options.prefix.replace(/:$/, ''),
    stores: {
      tiered: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 100_000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection })),
    },
  });
  const get = (key: string, load: () => Promise<unknown>) =>
    bento.getOrSet({ key, ttl: PEER_TTL_MS, factory: load });
  return {
    name: 'bentocache',
    manyHow: 'Promise.all of getOrSet (no batch API)',
    key: (name) => flatKey('', name), // it prefixes internally: its own cost
    get,
    getMany: (keys, load) => Promise.all(keys.map((key) => get(key, () => load(key)))),
    set: (key, value) => bento.set({ key, value, ttl: PEER_TTL_MS }),
    close: () => bento.disconnectAll(),
  };
}
