/**
 * The cluster driver through a failover (own cluster: 3 masters, 3 replicas): a master dies,
 * its pair breaks (null), the driver reads the topology every second until a replica is
 * promoted, opens a pair to it and closes the dead master's.
 */
import type { RedisCommand, RedisReply } from '@redcache/core';
import { redisCommand } from '@redcache/redis-harness';
import { expect, it } from 'vitest';
import { openClusterDriver, waitUntil } from '../test-support/cluster-fixture.js';
import { useCluster } from '../test-support/own-server.js';

const cluster = useCluster();

const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });
const text = (reply: RedisReply | Error | undefined): unknown =>
  reply instanceof Uint8Array ? Buffer.from(reply).toString() : reply;

it('follows a failover: null when the master dies, then reads and invalidations on the promoted replica', async () => {
  const driver = await openClusterDriver(cluster);
  try {
    const [dead, ...others] = driver.masterConnections().map(({ address, port }) => ({ address, port }));
    const owned = Array.from({ length: 100 }, (_, i) => `{failover:${i}}:k`).find(
      (candidate) => driver.serverOf(candidate) === dead!.address,
    )!;
    expect(owned).toBeDefined();
    const replies = await driver.send([
      { key: owned, args: ['SET', owned, 'before'] },
      { key: owned, args: ['WAIT', '1', '2000'] },
    ]);
    expect(replies).toEqual(['OK', 1]);
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await cluster.killNode(dead!.port);
    await waitUntil(async () => seen.includes(null), 'null once the master died');
    await waitUntil(async () => driver.serverOf(owned) !== dead!.address, 'a new owner of the slot', 20_000);
    const promoted = driver.serverOf(owned);
    expect(others.map(({ address }) => address)).not.toContain(promoted);
    await waitUntil(
      async () => driver.masterConnections().every(({ address }) => address !== dead!.address),
      "the dead master's pair closed",
    );
    expect(text((await driver.send([get(owned)]))[0])).toBe('before');
    seen.length = 0;
    const port = Number(promoted.split(':')[1]);
    expect(await redisCommand('127.0.0.1', port, ['SET', owned, 'after'])).toBe('OK');
    await driver.send([get(`{failover:probe}`)]);
    await waitUntil(async () => seen.includes(owned), 'the change on the promoted master reported');
    expect(text((await driver.send([get(owned)]))[0])).toBe('after');
  } finally {
    await driver.close();
  }
}, 40_000);
