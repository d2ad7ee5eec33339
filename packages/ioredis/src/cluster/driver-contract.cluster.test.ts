/**
 * The driver contract of @redcache/testing against the ioredis driver on a cluster of this
 * file's own (3 masters, 3 replicas; the contract flushes it), as driver-contract.test.ts runs
 * it on a single server.
 */
import { type RedisCluster, startRedisCluster } from '@redcache/redis-harness';
import { driverContract } from '@redcache/testing/contract';
import { afterAll, beforeAll } from 'vitest';
import { flushMasters, killMasterConnections, openClusterDriver } from '../test-support/cluster-fixture.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

for (const side of ['data', 'subscriber'] as const) {
  driverContract(`ioredis driver on a cluster (losing its ${side} connections)`, async () => {
    const [driver, other] = await Promise.all([openClusterDriver(cluster), openClusterDriver(cluster)]);
    return {
      driver,
      other,
      loseConnection: () => killMasterConnections(driver, side),
      flushAll: () => flushMasters(driver),
      cleanup: async () => {
        await Promise.all([driver.close(), other.close()]);
      },
    };
  });
}
