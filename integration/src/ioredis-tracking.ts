import type { Driver } from '@redcache/core';
import { createIoredisDriver } from '@redcache/ioredis';
import { Redis } from 'ioredis';
import { driverKeys, type KeyClient } from './key-client.js';
import { type PairConnections, pairConnectionsOf } from './pair-connections.js';
import { isClusterTarget, type RedisTarget } from './redis-target.js';

/** What a test may reach of an ioredis driver: the client it was made from, and its pair. */
export interface IoredisTrackingClient {
  readonly kind: 'ioredis';
  /** The client the driver was made from (lazy: the driver never sends on it, so it stays unconnected). */
  readonly client: Redis;
  /** The driver's own connections (see pair-connections.ts). */
  readonly connections: PairConnections;
}

/**
 * An `@redcache/ioredis` driver on the single server `target`, made as a user would
 * (`createIoredisDriver(new Redis(url, { lazyConnect: true }))`), once its tracking is set
 * up: a PING through the driver, which holds every call until then. `keys` sends through the
 * driver too, on its data connection, as the node-redis `keys` do on theirs. A cluster is
 * refused: the driver does not support one yet.
 */
export async function openIoredisTracking(
  target: RedisTarget,
): Promise<{ tracking: IoredisTrackingClient; driver: Driver; keys: KeyClient }> {
  if (isClusterTarget(target)) throw new Error('the ioredis driver runs on a single server only, for now');
  const client = new Redis(target, { lazyConnect: true });
  client.on('error', () => {});
  const driver = createIoredisDriver(client);
  const [ping] = await driver.send([{ key: '', args: ['PING'] }]);
  if (ping instanceof Error) throw ping;
  return {
    tracking: { kind: 'ioredis', client, connections: pairConnectionsOf(driver) },
    driver,
    keys: driverKeys(driver, async () => {
      await driver.close();
      client.disconnect();
    }),
  };
}
