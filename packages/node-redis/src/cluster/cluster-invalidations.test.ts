import type { RedisCommand } from '@redcache/core';
import { type RedisCluster, redisCommand, startRedisCluster } from '@redcache/redis-harness';
import { BasicPooledClientSideCache, createCluster, type RedisClusterType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { keyPerMaster, ownerPort, trackingCluster, useOwnCluster } from '../test-support/cluster.js';
import { testPrefix, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('cluster-invalidations');
const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

describe('the cluster driver: invalidations of every node client (own cluster: 3 masters, 3 replicas)', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  it('reports null when one master kills its connection, then reads again on a tracking connection', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const key = `${prefix}killed`;
    const port = ownerPort(client, key);
    const node = await client.getNodeClientForKey(key);
    const id = await node.clientId();
    // Pushes come in order with replies: whatever was reported before the GET's reply has been.
    await driver.send([get(key)]);
    seen.length = 0;
    expect(await redisCommand('127.0.0.1', port, ['CLIENT', 'KILL', 'ID', String(id)])).toBe(1);
    await waitFor(() => seen.includes(null));
    // Reconnected: ready on a new connection (until it notices the kill, the old one says ready too).
    await waitFor(async () => node.isReady && (await node.clientId().catch(() => id)) !== id);
    expect(seen.every((changed) => changed === null)).toBe(true);
    // The reconnected node client tracks again: a key read now is reported.
    await driver.send([get(key)]);
    await writer.set(key, 'after the kill');
    await waitFor(() => seen.includes(key));
    await driver.close();
  });

  it('listens on node clients created after it: a driver made before connect()', async () => {
    const client: RedisClusterType = createCluster({
      rootNodes: [...redis.rootNodes],
      RESP: 3,
      defaults: { emitInvalidate: true },
    });
    const driver = createNodeRedisDriver(client);
    client.on('error', () => {});
    await client.connect();
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const keys = keyPerMaster(client, `${prefix}late:`);
    for (const master of client.masters) expect(master.client?.listenerCount('invalidate')).toBe(1);
    await Promise.all(keys.map((key) => driver.send([get(key)])));
    for (const key of keys) await writer.set(key, 'v');
    await waitFor(() => keys.every((key) => seen.includes(key)));
    await driver.close();
  });

  it("follows a cluster's clientSideCache instead, when it has one", async () => {
    const clientSideCache = new BasicPooledClientSideCache();
    const client = await trackingCluster(redis, { clientSideCache, defaults: {} });
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const keys = keyPerMaster(client, `${prefix}csc:`);
    expect(clientSideCache.listenerCount('invalidate')).toBe(1);
    for (const master of client.masters) expect(master.client?.listenerCount('invalidate')).toBe(0);
    await Promise.all(keys.map((key) => driver.send([get(key)])));
    for (const key of keys) await writer.set(key, 'v');
    await waitFor(() => keys.every((key) => seen.includes(key)));
    await driver.close();
    expect(clientSideCache.listenerCount('invalidate')).toBe(0);
  });
});

describe('the cluster driver: FLUSHALL (own cluster)', () => {
  let redis: RedisCluster;

  beforeAll(async () => {
    redis = await startRedisCluster();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('reports null when a master is flushed', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const key = `${prefix}flushed`;
    // Pushes come in order with replies: whatever was reported before the GET's reply has been.
    await driver.send([get(key)]);
    seen.length = 0;
    expect(await redisCommand('127.0.0.1', ownerPort(client, key), ['FLUSHALL'])).toBe('OK');
    await waitFor(() => seen.includes(null));
    expect(seen).toEqual([null]);
    await driver.close();
  });
});
