import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  type RedisCluster,
  type RedisServer,
  redisCommand,
  startRedisServer,
} from '@redcache/redis-harness';
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

/**
 * Kills one side's connection of every master's pair server-side, as a network fault would,
 * and resolves once every pair has noticed (reported its break). Each pair reports its own
 * loss: without the wait, the null of one master's break could be followed by a send to a
 * master whose client has not yet seen its socket close.
 */
export async function killMasterConnections(
  driver: ClusterDriver<Cluster>,
  side: 'data' | 'subscriber',
): Promise<void> {
  const masters = driver.masterConnections();
  let breaks = 0;
  const stop = driver.onHealth((event) => {
    if (!event.healthy) breaks++;
  });
  try {
    await Promise.all(masters.map((master) => killPairConnection(master, side, master.port)));
    await waitUntil(async () => breaks >= masters.length, `${masters.length} pairs broken`);
  } finally {
    stop();
  }
}

/** FLUSHALL on every master the driver follows. */
export async function flushMasters(driver: ClusterDriver<Cluster>): Promise<void> {
  for (const { port } of driver.masterConnections()) {
    const reply = await redisCommand('127.0.0.1', port, ['FLUSHALL']);
    if (reply instanceof Error) throw reply;
  }
}

/** How many error replies starting with `code` (`MOVED`, `ASK`, `TRYAGAIN`) the node on `port` sent (INFO errorstats). */
export async function errorReplies(port: number, code: string): Promise<number> {
  const stats = String(await redisCommand('127.0.0.1', port, ['INFO', 'errorstats']));
  return Number(new RegExp(`^errorstat_${code}:count=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

/** Waits (real time, polling) until `check` holds, or fails after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts a `redis-server` with cluster mode on, joins it to `cluster` (`CLUSTER MEET`) as a
 * master that serves no slot (a scale-out before any slot is moved to it), and resolves once it
 * every node of `cluster` knows it, and it knows them all and says `cluster_state:ok`. `stop()` stops it and removes its directory.
 */
export async function joinEmptyMaster(cluster: RedisCluster): Promise<RedisServer> {
  const directory = await mkdtemp(join(tmpdir(), 'redcache-joined-'));
  const bus = await freePort();
  const server = await startRedisServer((port) => [
    ...['--cluster-enabled', 'yes', '--cluster-config-file', join(directory, `nodes-${port}.conf`)],
    ...['--cluster-node-timeout', '2000', '--cluster-port', String(bus), '--dir', directory],
  ]);
  const first = cluster.nodes[0]!;
  await redisCommand('127.0.0.1', first.port, [
    'CLUSTER',
    'MEET',
    '127.0.0.1',
    String(server.port),
    String(bus),
  ]);
  const nodesOf = async (port: number) =>
    String(await redisCommand('127.0.0.1', port, ['CLUSTER', 'NODES']))
      .split('\n')
      .filter((line) => line.trim() !== '');
  await waitUntil(
    async () => {
      const views = await Promise.all(cluster.nodes.map(({ port }) => nodesOf(port)));
      const joined = await nodesOf(server.port);
      const info = String(await redisCommand('127.0.0.1', server.port, ['CLUSTER', 'INFO']));
      return (
        info.includes('cluster_state:ok') &&
        views.every((view) => view.some((line) => line.includes(`:${server.port}@`))) &&
        joined.length === views[0]!.length
      );
    },
    'the joined master knows the cluster',
    15_000,
  );
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
