import type { RedisCommand } from '@redcache/core';
import { type RedisCluster, redisCommand } from '@redcache/redis-harness';
import type { RedisClusterType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { ownerPort, trackingCluster, useOwnCluster } from '../test-support/cluster.js';
import { testPrefix, text, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('failover');
const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

describe('the cluster driver across a failover (own cluster)', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  it('reports null when a master dies, and listens on the client node-redis creates for its promoted replica', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const key = `${prefix}k`;
    await writer.set(key, 'before');
    expect(text((await driver.send([get(key)]))[0])).toBe('before');
    const dead = ownerPort(client, key);
    const replica = await replicaOf(redis, dead);

    await redis.killNode(dead);
    await waitFor(() => seen.includes(null));
    // The replica takes over after the node timeout (2 s) and an election.
    await waitFor(async () => (await roleOf(replica)) === 'master', 15_000);
    // The driver's next read goes to the new master once node-redis has learnt the topology.
    await waitFor(async () => {
      try {
        const [reply] = await driver.send([get(key)]);
        return text(reply) === 'before';
      } catch {
        return false;
      }
    }, 15_000);
    expect(ownerPort(client, key)).toBe(replica);
    const promoted = client.masters.find((master) => master.port === replica);
    expect(promoted?.client?.listenerCount('invalidate')).toBe(1);

    seen.length = 0;
    // The writer's own cluster client may still be learning the new topology: node-redis
    // rejects what it queued for the dead node ("Disconnects client") when it drops that client.
    await waitFor(async () => {
      try {
        return (await writer.set(key, 'after the failover')) === 'OK';
      } catch {
        return false;
      }
    }, 15_000);
    await waitFor(() => seen.includes(key));
    await driver.close();
  }, 40_000);
});

async function roleOf(port: number): Promise<string> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  return Array.isArray(reply) ? String(reply[0]) : String(reply);
}

/** The port of the (first) replica of the master on `port`. */
async function replicaOf(redis: RedisCluster, port: number): Promise<number> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  const replicas = Array.isArray(reply) ? reply[2] : undefined;
  const first = Array.isArray(replicas) ? replicas[0] : undefined;
  const replica = Array.isArray(first) ? Number(first[1]) : Number.NaN;
  expect(redis.nodes.map((node) => node.port)).toContain(replica);
  return replica;
}
