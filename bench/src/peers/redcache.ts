import { type Cache, JSONCodec, newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';

/** redcache: a Conn on node-redis, near cache on (defaults), `getMulti` for many keys. */
export async function openRedcache(options: PeerOptions): Promise<PeerCache> {
  // Bounds far above a timed round: a hit loop is all microtasks and reads no reply for a
  // whole round, so the default 1 s liveness PING would fail, flush the near cache and open
  // the breaker mid-run (and a loaded machine must not open it either).
  const conn = await connect(
    { url: options.url },
    { commandTimeoutMs: 30_000 },
    { livenessCheck: { intervalMs: 1_000, timeoutMs: 30_000 } },
  );
  const cache: Cache<string, unknown> = newStringCache<unknown>(
    conn,
    options.json ? JSONCodec<unknown>() : (StringCodec as never),
  );
  const k = (key: string) => options.prefix + key;
  return {
    name: 'redcache',
    manyHow: 'getMulti',
    get: (key, load) => cache.get(k(key), PEER_TTL_MS, load),
    getMany: (keys, load) =>
      cache.getMulti(keys.map(k), PEER_TTL_MS, async (wanted) => {
        const values = await Promise.all(wanted.map((full) => load(full.slice(options.prefix.length))));
        return new Map(wanted.map((full, i) => [full, values[i]]));
      }),
    set: (key, value) => cache.forceSet(k(key), PEER_TTL_MS, value),
    close: () => conn.close(),
  };
}
