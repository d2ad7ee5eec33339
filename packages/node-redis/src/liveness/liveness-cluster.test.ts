import { DEFAULT_LIVENESS_CHECK } from '@redcache/core/internal';
import { type RedisCluster, type RedisClusterNode, redisCommand } from '@redcache/redis-harness';
import { BasicPooledClientSideCache, type RedisClusterType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { watchClusterInvalidations } from '../cluster/cluster-invalidations.js';
import type { ClusterPort } from '../cluster/cluster-port.js';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { commandCalls, ownerPort, trackingCluster, useOwnCluster } from '../test-support/cluster.js';
import { testPrefix, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('liveness-cluster');
const LIVENESS = { intervalMs: 200, timeoutMs: 200 };
/** Timer and scheduling slack on a busy machine. */
const MARGIN_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const boundOf = ({ intervalMs, timeoutMs }: typeof LIVENESS) => intervalMs + timeoutMs;

describe('the liveness check on a cluster (own cluster, node timeout 2 s)', () => {
  let redis: RedisCluster;
  let writer: RedisClusterType;
  useOwnCluster((cluster, client) => {
    redis = cluster;
    writer = client;
  });

  const nodeOn = (port: number): RedisClusterNode => {
    const node = redis.nodes.find((candidate) => candidate.port === port);
    if (node === undefined) throw new Error(`no node on ${port}`);
    return node;
  };

  /**
   * Freezes the master that owns `key` (SIGSTOP: its sockets stay open, it answers nothing)
   * until `frozen` resolves, then resumes it. Resolves with when it froze and what `frozen` did.
   */
  async function freezeOwnerOf<T>(
    client: RedisClusterType,
    key: string,
    frozen: () => Promise<T>,
  ): Promise<{ frozenAt: number; result: T }> {
    const { pid } = nodeOn(ownerPort(client, key));
    const frozenAt = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      return { frozenAt, result: await frozen() };
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }

  it('reports null within interval + timeout of a master freezing, long before its replica is promoted', async () => {
    const client = await trackingCluster(redis);
    const nulls: number[] = [];
    const watcher = watchClusterInvalidations(
      client as unknown as ClusterPort,
      (key) => key === null && nulls.push(Date.now()),
      LIVENESS,
    );
    const key = `${prefix}frozen`;
    await writer.set(key, 'before');
    expect(await client.get(key)).toBe('before');
    const replica = await replicaOf(ownerPort(client, key));
    await sleep(LIVENESS.intervalMs);
    nulls.length = 0; // the node-ready nulls of connecting, if any came late

    const { frozenAt, result: role } = await freezeOwnerOf(client, key, async () => {
      await waitFor(() => nulls.length >= 3, 5_000);
      return roleOf(replica);
    });
    expect(nulls[0]! - frozenAt).toBeLessThanOrEqual(boundOf(LIVENESS) + MARGIN_MS);
    expect(role).toBe('slave');
    watcher.detach();
    await client.close();
  });

  it('is on by default in the cluster driver', async () => {
    const client = await trackingCluster(redis);
    const driver = createNodeRedisDriver(client);
    const nulls: number[] = [];
    driver.onInvalidate((key) => key === null && nulls.push(Date.now()));
    const key = `${prefix}default`;
    await driver.send([{ key, args: ['GET', key] }]);
    await sleep(DEFAULT_LIVENESS_CHECK.intervalMs);
    nulls.length = 0;

    const { frozenAt } = await freezeOwnerOf(client, key, () => waitFor(() => nulls.length > 0, 5_000));
    expect(nulls[0]! - frozenAt).toBeLessThanOrEqual(boundOf(DEFAULT_LIVENESS_CHECK) + MARGIN_MS);
    await driver.close();
  }, 15_000);

  it("pings every master's client of a cluster with a clientSideCache too, and none after detach", async () => {
    const client = await trackingCluster(redis, {
      clientSideCache: new BasicPooledClientSideCache(),
      defaults: {},
    });
    const masters = client.masters.map((master) => master.port);
    const pings = () => Promise.all(masters.map((port) => commandCalls(port, 'ping')));
    const before = await pings();
    const watcher = watchClusterInvalidations(client as unknown as ClusterPort, () => {}, {
      intervalMs: 20,
      timeoutMs: 200,
    });
    await waitFor(async () => (await pings()).every((calls, index) => calls > before[index]!));
    watcher.detach();
    const afterDetach = await pings();
    await sleep(200);
    expect(await pings()).toEqual(afterDetach);
    await client.close();
  });
});

async function roleOf(port: number): Promise<string> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  return Array.isArray(reply) ? String(reply[0]) : String(reply);
}

/** The port of the (first) replica of the master on `port`. */
async function replicaOf(port: number): Promise<number> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  const replicas = Array.isArray(reply) ? reply[2] : undefined;
  const first = Array.isArray(replicas) ? replicas[0] : undefined;
  return Array.isArray(first) ? Number(first[1]) : Number.NaN;
}
