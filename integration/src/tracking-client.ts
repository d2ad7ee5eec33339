import { createNodeRedisDriver, type NodeRedisDriver } from '@redcache/node-redis';
import { createClient, createCluster } from 'redis';
import { clusterKeys, type KeyClient, standaloneKeys } from './key-client.js';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

const standaloneClient = (url: string) => createClient({ url, RESP: 3, emitInvalidate: true });
const clusterClient = (rootNodes: Array<{ url: string }>) =>
  createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } });

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
 * Connects a RESP3 client with invalidation pushes on (`emitInvalidate`) to `target` — one
 * client for a URL, a cluster client for a cluster target — and a driver over it.
 */
export async function openTracking(target: RedisTarget): Promise<Tracking> {
  const rootNodes = clusterRootNodes(target);
  if (rootNodes === undefined) {
    const client = standaloneClient(target);
    await client.connect();
    return {
      tracking: { kind: 'standalone', client },
      driver: createNodeRedisDriver(client),
      keys: standaloneKeys(client),
    };
  }
  const client = clusterClient(rootNodes);
  client.on('error', () => {});
  await client.connect();
  return {
    tracking: { kind: 'cluster', client },
    driver: createNodeRedisDriver(client),
    keys: clusterKeys(client),
  };
}
