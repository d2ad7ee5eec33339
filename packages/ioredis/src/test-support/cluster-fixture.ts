import { type RedisCluster, redisCommand } from '@redcache/redis-harness';
import { Cluster, type ClusterOptions } from 'ioredis';
import type { ClusterDriver } from '../cluster/cluster-driver.js';
import { driverFor } from '../create-ioredis-driver.js';
import { killPairConnection } from './pair-connections.js';

/** A cluster driver on `cluster` (its `Cluster` never connected, owned by the driver), once every master's pair is established. */
export async function openClusterDriver(
  cluster: RedisCluster,
  options: ClusterOptions = {},
): Promise<ClusterDriver<Cluster>> {
  const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  const driver = driverFor(new Cluster(nodes, { ...options, lazyConnect: true }), undefined, {
    ownsClient: true,
  });
  await driver.whenEstablished();
  return driver;
}

/** Kills one side's connection of every master's pair server-side, as a network fault would. */
export async function killMasterConnections(
  driver: ClusterDriver<Cluster>,
  side: 'data' | 'subscriber',
): Promise<void> {
  await Promise.all(
    driver.masterConnections().map((master) => killPairConnection(master, side, master.port)),
  );
}

/** FLUSHALL on every master the driver follows. */
export async function flushMasters(driver: ClusterDriver<Cluster>): Promise<void> {
  for (const { port } of driver.masterConnections()) {
    const reply = await redisCommand('127.0.0.1', port, ['FLUSHALL']);
    if (reply instanceof Error) throw reply;
  }
}
