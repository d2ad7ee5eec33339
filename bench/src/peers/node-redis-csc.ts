import { createClient } from 'redis';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';

/**
 * node-redis 6 client-side caching (RESP3 tracking, `clientSideCache`): a GET, and on a
 * null a load and a SET. No lock, no in-process coalescing; many keys as Promise.all of gets.
 */
export async function openNodeRedisCsc(options: PeerOptions): Promise<PeerCache> {
  const client = createClient({
    url: options.url,
    RESP: 3,
    clientSideCache: { ttl: 0, maxEntries: 100_000 },
  });
  await client.connect();
  const encode = (value: unknown) => (options.json ? JSON.stringify(value) : String(value));
  const decode = (raw: string) => (options.json ? JSON.parse(raw) : raw);
  const set = (key: string, value: unknown) =>
    client.set(key, encode(value), { expiration: { type: 'PX', value: PEER_TTL_MS } });
  const get = async (key: string, load: () => Promise<unknown>) => {
    const raw = await client.get(key);
    if (raw !== null) return decode(raw);
    const value = await load();
    await set(key, value);
    return value;
  };
  return {
    name: 'node-redis CSC',
    manyHow: 'Promise.all of gets',
    key: (name) => flatKey(options.prefix, name),
    get,
    getMany: (keys, load) => Promise.all(keys.map((key) => get(key, () => load(key)))),
    set,
    close: () => client.close(),
  };
}
