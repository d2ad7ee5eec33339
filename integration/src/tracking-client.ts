import { createNodeRedisDriver, type NodeRedisDriver } from '@redcache/node-redis';
import { BasicClientSideCache, BasicPooledClientSideCache, createClient, createCluster } from 'redis';
import { clusterKeys, type KeyClient, standaloneKeys } from './key-client.js';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

/**
 * How the client learns of invalidations: `emitInvalidate` (what `connect` does), or a
 * node-redis `clientSideCache` the user brought (the driver then listens to it).
 */
export type InvalidationMode = 'emitInvalidate' | 'clientSideCache';

const standaloneClient = (url: string, mode: InvalidationMode = 'emitInvalidate') =>
  createClient({
    url,
    RESP: 3,
    ...(mode === 'emitInvalidate'
      ? { emitInvalidate: true }
      : { clientSideCache: new BasicClientSideCache() }),
  });
const clusterClient = (rootNodes: Array<{ url: string }>, mode: InvalidationMode = 'emitInvalidate') =>
  createCluster({
    rootNodes,
    RESP: 3,
    ...(mode === 'emitInvalidate'
      ? { defaults: { emitInvalidate: true } }
      : { clientSideCache: new BasicPooledClientSideCache() }),
  });

/** A connected tracking client for `target`, as the driver wants it. */
export type TrackingClient =
  | { readonly kind: 'standalone'; readonly client: ReturnType<typeof standaloneClient> }
  | { readonly kind: 'cluster'; readonly client: ReturnType<typeof clusterClient> };

export interface Tracking {
  readonly tracking: TrackingClient;
  readonly driver: NodeRedisDriver<unknown>;
  /** The same connection(s), for commands a test sends itself. */
  readonly keys: KeyClient;
}

/**
 * Connects a RESP3 client with invalidation pushes on to `target` — one client for a URL, a
 * cluster client for a cluster target — and a driver over it.
 */
export async function openTracking(
  target: RedisTarget,
  mode: InvalidationMode = 'emitInvalidate',
): Promise<Tracking> {
  const rootNodes = clusterRootNodes(target);
  if (rootNodes === undefined) {
    const client = standaloneClient(target, mode);
    await client.connect();
    return {
      tracking: { kind: 'standalone', client },
      driver: createNodeRedisDriver(client),
      keys: standaloneKeys(client),
    };
  }
  const client = clusterClient(rootNodes, mode);
  client.on('error', () => {});
  await client.connect();
  return {
    tracking: { kind: 'cluster', client },
    driver: createNodeRedisDriver(client),
    keys: clusterKeys(client),
  };
}
