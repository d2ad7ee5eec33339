import type { Driver } from '@redcache/core';
import { createNodeRedisDriver } from '@redcache/node-redis';
import { BasicClientSideCache, BasicPooledClientSideCache, createClient, createCluster } from 'redis';
import { type IoredisTrackingClient, openIoredisTracking } from './ioredis-tracking.js';
import { clusterKeys, type KeyClient, standaloneKeys } from './key-client.js';
import { type RedisDriverName, redisDriverName } from './redis-driver.js';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

/**
 * How a node-redis client learns of invalidations: `emitInvalidate` (what `connect` does), or
 * a node-redis `clientSideCache` the user brought (the driver then listens to it).
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

/**
 * The client(s) under a driver, for tests that reach into them: a node-redis client on a
 * single server (`standalone`) or a cluster, or an ioredis driver's connections (`ioredis`).
 */
export type TrackingClient =
  | { readonly kind: 'standalone'; readonly client: ReturnType<typeof standaloneClient> }
  | { readonly kind: 'cluster'; readonly client: ReturnType<typeof clusterClient> }
  | IoredisTrackingClient;

export interface Tracking {
  readonly tracking: TrackingClient;
  readonly driver: Driver;
  /** The same connection(s), for commands a test sends itself. */
  readonly keys: KeyClient;
}

/**
 * A driver on `target` with tracking set up, of the kind `driver` names (by default the one
 * this process's tests use, see redis-driver.ts). For node-redis: a RESP3 client with
 * invalidation pushes on, reporting them as `mode` says — one client for a URL, a cluster
 * client for a cluster target — and a driver over it. For ioredis: see ioredis-tracking.ts
 * (`mode` must be `emitInvalidate`, which stands for "as the driver does it").
 */
export async function openTracking(
  target: RedisTarget,
  mode: InvalidationMode = 'emitInvalidate',
  driver: RedisDriverName = redisDriverName(),
): Promise<Tracking> {
  if (driver === 'ioredis') {
    if (mode !== 'emitInvalidate') throw new Error(`the ioredis driver has no invalidation mode ${mode}`);
    return openIoredisTracking(target);
  }
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
