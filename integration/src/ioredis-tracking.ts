import type { Driver } from '@redcache/core';
import { createIoredisDriver } from '@redcache/ioredis';
import { Cluster, Redis } from 'ioredis';
import { driverKeys, type KeyClient } from './key-client.js';
import { type PairConnections, pairConnectionsOf } from './pair-connections.js';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

/** What a test may reach of an ioredis driver: the client it was made from, and its pairs. */
export interface IoredisTrackingClient {
  readonly kind: 'ioredis';
  /**
   * The client the driver was made from, a `Redis` or a `Cluster` (lazy: the driver never
   * sends on it, so it stays unconnected).
   */
  readonly client: Redis | Cluster;
  /**
   * The driver's own connections (see pair-connections.ts), as they are now: one pair on a
   * single server, one per master on a cluster (which follows the topology: call it again).
   */
  pairs(): readonly PairConnections[];
}

/** The startup nodes of a cluster target, as ioredis's `Cluster` takes them. */
export function ioredisStartupNodes(rootNodes: ReadonlyArray<{ readonly url: string }>) {
  return rootNodes.map(({ url }) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
}

/**
 * An `@redcache/ioredis` driver on `target`, made as a user would
 * (`createIoredisDriver(new Redis(url, { lazyConnect: true }))`, or over
 * `new Cluster(startupNodes, { lazyConnect: true })` on a cluster target), once its tracking
 * is set up: a PING through the driver on every node it lists (`nodes()`: each waits for
 * that node's pair). `keys` sends through the driver too, on the data connection of the
 * key's master, as the node-redis `keys` do on their connections.
 */
export async function openIoredisTracking(
  target: RedisTarget,
): Promise<{ tracking: IoredisTrackingClient; driver: Driver; keys: KeyClient }> {
  const rootNodes = clusterRootNodes(target);
  const client =
    rootNodes === undefined
      ? new Redis(target, { lazyConnect: true })
      : new Cluster(ioredisStartupNodes(rootNodes), { lazyConnect: true });
  client.on('error', () => {});
  const driver = client instanceof Cluster ? createIoredisDriver(client) : createIoredisDriver(client);
  await untilEstablished(driver);
  return {
    tracking: { kind: 'ioredis', client, pairs: pairConnectionsOf(driver) },
    driver,
    keys: driverKeys(driver, async () => {
      await driver.close();
      client.disconnect();
    }),
  };
}

/** Resolves once `driver` answers a PING on each of its nodes (or on its one connection). */
async function untilEstablished(driver: Driver): Promise<void> {
  const nodes = (await driver.nodes?.()) ?? [];
  const pings =
    nodes.length === 0
      ? [driver.send([{ key: '', args: ['PING'] }])]
      : nodes.map((node) => node.send([['PING']]));
  for (const [ping] of await Promise.all(pings)) if (ping instanceof Error) throw ping;
}
