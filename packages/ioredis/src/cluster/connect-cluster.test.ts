/** `connect({ cluster })`, `fromClient(cluster)` and what the cluster driver says of its topology, on a cluster of this file's own. */
import { ConnectError, InvalidOptionsError, keySlot, newStringCache, StringCodec } from '@redcache/core';
import { freePort, redisCommand } from '@redcache/redis-harness';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connect, fromClient } from '../connect.js';
import { openClusterDriver } from '../test-support/cluster-fixture.js';
import { useCluster } from '../test-support/own-server.js';

const cluster = useCluster();

const startup = () => [{ host: cluster.nodes[0]!.host, port: cluster.nodes[0]!.port }];
/** Keys with a hash tag each: spread over every master. */
const spread = (prefix: string) => Array.from({ length: 12 }, (_, i) => `${prefix}{${i}}`);

describe('connect({ cluster })', () => {
  it('opens a Conn over every master from one startup node; conn.client is an ioredis Cluster that connects on first use', async () => {
    const conn = await connect({ cluster: startup() });
    try {
      expect(conn.client).toBeInstanceOf(Cluster);
      expect(conn.client.status).toBe('wait');
      const pages = newStringCache(conn, StringCodec);
      let loads = 0;
      const load = async (key: string) => {
        loads++;
        return `page ${key}`;
      };
      const keys = spread('connect-cluster:');
      for (const key of keys) expect(await pages.get(key, 60_000, () => load(key))).toBe(`page ${key}`);
      for (const key of keys) expect(await pages.get(key, 60_000, () => load(key))).toBe(`page ${key}`);
      expect(loads).toBe(keys.length);
      expect(await conn.client.get(keys[0]!)).toMatch(/^__redcache:v1:/);
    } finally {
      await conn.close();
    }
    await expect.poll(() => conn.client.status).toBe('end');
  });

  it('rejects with ConnectError (refused) naming the startup nodes, within connectTimeoutMs', async () => {
    const port = await freePort();
    const outcome = await connect(
      { cluster: [{ host: '127.0.0.1', port }] },
      {},
      { connectTimeoutMs: 500 },
    ).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ConnectError);
    expect((outcome as ConnectError).reason).toBe('refused');
    expect((outcome as ConnectError).message).toContain(`127.0.0.1:${port}`);
  });

  it("refuses a keyPrefix, the cluster's own or its redisOptions'", () => {
    for (const options of [{ keyPrefix: 'app:' }, { redisOptions: { keyPrefix: 'app:' } }]) {
      const client = new Cluster(startup(), { ...options, lazyConnect: true });
      expect(() => fromClient(client)).toThrow(InvalidOptionsError);
      expect(() => fromClient(client)).toThrow(/keyPrefix "app:"/);
    }
  });
});

describe('fromClient(cluster)', () => {
  it('serves through its own pairs and leaves your Cluster as it was (never connected by redcache)', async () => {
    const client = new Cluster(startup(), { lazyConnect: true });
    const conn = fromClient(client);
    try {
      const pages = newStringCache(conn, StringCodec);
      expect(await pages.get('from-client-cluster:page', 60_000, async () => 'page')).toBe('page');
      expect(conn.client).toBe(client);
    } finally {
      await conn.close();
    }
    expect(client.status).toBe('wait');
  });
});

describe('the cluster driver on a real cluster (3 masters, 3 replicas)', () => {
  it('slotOf agrees with CLUSTER KEYSLOT; serverOf names the master that owns the key; nodes() are the masters', async () => {
    const driver = await openClusterDriver(cluster);
    try {
      const node = cluster.nodes[0]!;
      for (const key of ['', 'a', 'user:42', '{tag}x', '{}x', 'a{b}c{d}', 'é€']) {
        expect(driver.slotOf(key)).toBe(
          await redisCommand(node.host, node.port, ['CLUSTER', 'KEYSLOT', key]),
        );
        expect(keySlot(key)).toBe(driver.slotOf(key));
      }
      const owners = new Set<string>();
      for (const key of spread('owner:')) {
        const address = driver.serverOf(key);
        owners.add(address);
        const port = Number(address.split(':')[1]);
        // The owner serves the key: GET there is answered, not redirected.
        expect(await redisCommand('127.0.0.1', port, ['GET', key])).toBeNull();
      }
      const masters = (await driver.nodes()).map((master) => master.address).sort();
      expect(masters).toHaveLength(3);
      expect([...owners].sort()).toEqual(masters);
    } finally {
      await driver.close();
    }
  });
});
