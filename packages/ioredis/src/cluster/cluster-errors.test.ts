/**
 * What the cluster driver does when it cannot route, or a node's view is off (own cluster:
 * 3 masters, no replicas, so no replica claims back a slot its master was told to drop).
 */
import { keySlot } from '@redcache/core';
import { type RedisCluster, redisCommand, slotOwnerPort, startRedisCluster } from '@redcache/redis-harness';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { openClusterDriver, waitUntil } from '../test-support/cluster-fixture.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

it('names the masters it knows when no master serves the slot of a call (the error named no server)', async () => {
  const key = `{unserved:${Date.now()}}:k`;
  const slot = keySlot(key);
  const ports = cluster.nodes.map(({ port }) => port);
  const owner = (await slotOwnerPort(ports[0]!, slot))!;
  for (const port of ports) {
    expect(await redisCommand('127.0.0.1', port, ['CLUSTER', 'DELSLOTS', String(slot)])).toBe('OK');
  }
  const driver = await openClusterDriver(cluster);
  try {
    const outcome = await driver.send([{ key, args: ['GET', key] }]).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    const message = (outcome as Error).message;
    expect(message).toContain(`slot ${slot}`);
    for (const port of ports) expect(message).toContain(`127.0.0.1:${port}`);
  } finally {
    await driver.close();
    expect(await redisCommand('127.0.0.1', owner, ['CLUSTER', 'ADDSLOTS', String(slot)])).toBe('OK');
    await waitUntil(
      async () =>
        (await Promise.all(ports.map((port) => slotOwnerPort(port, slot)))).every((port) => port === owner),
      'the slot served again',
      10_000,
    );
  }
});

it("keeps a throwing natMap's error as the driver's lastError (it was an unhandled rejection of the topology read)", async () => {
  const unhandled: unknown[] = [];
  const seeUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', seeUnhandled);
  const failure = new Error('natMap: broken');
  const natMap = () => {
    throw failure;
  };
  const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  const driver = driverFor(new Cluster(nodes, { natMap, lazyConnect: true }), undefined, {
    ownsClient: true,
  });
  try {
    await waitUntil(async () => driver.lastError !== undefined, 'a failed read of the topology', 3_000);
    expect(driver.lastError).toBe(failure);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', seeUnhandled);
    await driver.close();
  }
});

it('R2: applies a view from a node that says cluster_state:ok over the view of one that does not (a node cut off keeps answering with its own stale view)', async () => {
  const key = `{stale-view:${Date.now()}}:k`;
  const slot = keySlot(key);
  const ports = cluster.nodes.map(({ port }) => port);
  const owner = (await slotOwnerPort(ports[0]!, slot))!;
  // The owner alone forgets the slot: its view leaves it unserved, and it says cluster_state:fail.
  expect(await redisCommand('127.0.0.1', owner, ['CLUSTER', 'DELSLOTS', String(slot)])).toBe('OK');
  const stateOf = async (port: number) =>
    /cluster_state:(\w+)/.exec(String(await redisCommand('127.0.0.1', port, ['CLUSTER', 'INFO'])))?.[1];
  await waitUntil(async () => (await stateOf(owner)) === 'fail', 'the owner says cluster_state:fail');
  // The owner is the first startup node: the first view the driver reads.
  const nodes = [owner, ...ports.filter((port) => port !== owner)].map((port) => ({
    host: '127.0.0.1',
    port,
  }));
  const driver = driverFor(new Cluster(nodes, { lazyConnect: true }), undefined, { ownsClient: true });
  try {
    await driver.whenEstablished();
    expect(driver.serverOf(key)).toBe(`127.0.0.1:${owner}`);
  } finally {
    await driver.close();
    expect(await redisCommand('127.0.0.1', owner, ['CLUSTER', 'ADDSLOTS', String(slot)])).toBe('OK');
    await waitUntil(async () => (await stateOf(owner)) === 'ok', 'the owner says cluster_state:ok', 10_000);
  }
});
