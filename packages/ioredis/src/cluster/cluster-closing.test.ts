/**
 * Closing the cluster driver (own cluster: 3 masters, no replicas): nothing it started may
 * outlive `close()`, and nothing asked of it after may wait forever.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ClosedError } from '@redcache/core';
import { type RedisCluster, startRedisCluster } from '@redcache/redis-harness';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { openClusterDriver } from '../test-support/cluster-fixture.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

it('D4: whenEstablished() after close() rejects with ClosedError instead of spinning on microtasks', async () => {
  const driver = await openClusterDriver(cluster);
  await driver.close();
  // A spin never yields to the event loop, so no timer could end the test: count the turns instead.
  const all = Promise.all.bind(Promise);
  let turns = 0;
  const counting = ((values: Iterable<unknown>) => {
    if (++turns > 10_000) throw new Error('whenEstablished spins');
    return all(values);
  }) as typeof Promise.all;
  Promise.all = counting;
  try {
    const outcome = await driver.whenEstablished().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(ClosedError);
  } finally {
    Promise.all = all;
  }
});

/** A TCP server that accepts connections and never answers: a topology read on it waits. */
async function silentServer(): Promise<{ server: Server; port: number; accepted: Promise<Socket> }> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, accepted };
}

it("R6: close() closes the one-off connection of a topology read still under way (it does not wait for the read's timeout)", async () => {
  const silent = await silentServer();
  try {
    const client = new Cluster([{ host: '127.0.0.1', port: silent.port }], {
      lazyConnect: true,
      slotsRefreshTimeout: 60_000,
    });
    const driver = driverFor(client, undefined, { ownsClient: true });
    const socket = await silent.accepted;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await driver.close();
    // Before the fix the read went on until its 60 s timeout: the test's timeout fails it.
    await closed;
    expect(socket.destroyed).toBe(true);
  } finally {
    silent.server.close();
  }
}, 10_000);
