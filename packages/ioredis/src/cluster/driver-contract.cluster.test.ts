import { driverContract } from '@redcache/testing/contract';
import { flushMasters, killMasterConnections, openClusterDriver } from '../test-support/cluster-fixture.js';
import { useCluster } from '../test-support/own-server.js';

const cluster = useCluster();

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
