import { keySlot } from '@redcache/core';
import { type RedisCluster, redisCommand, startRedisCluster } from '@redcache/redis-harness';
import { createCluster, type RedisClusterOptions, type RedisClusterType } from '@redis/client';
import { afterAll, beforeAll } from 'vitest';

/** A connected cluster client as the driver wants it: RESP3, every node client with `emitInvalidate`. */
export async function trackingCluster(
  cluster: RedisCluster,
  options: Pick<RedisClusterOptions, 'clientSideCache' | 'defaults' | 'useReplicas'> = {},
): Promise<RedisClusterType> {
  const client: RedisClusterType = createCluster({
    rootNodes: [...cluster.rootNodes],
    RESP: 3,
    defaults: { emitInvalidate: true },
    ...options,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A plain connected cluster client (no tracking), for writes "from another process". */
export async function plainCluster(cluster: RedisCluster): Promise<RedisClusterType> {
  const client: RedisClusterType = createCluster({ rootNodes: [...cluster.rootNodes], RESP: 3 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The port of the master that owns the key's slot, as the client sees the topology. */
export function ownerPort(client: RedisClusterType, key: string): number {
  const shard = client.slots[keySlot(key)];
  if (shard === undefined) throw new Error(`no shard owns the slot of ${key}`);
  return shard.master.port;
}

/** One key (under `prefix`) for each master, in the order of `client.masters`. */
export function keyPerMaster(client: RedisClusterType, prefix: string): string[] {
  const masters = client.masters.map((master) => master.port);
  const keys = new Map<number, string>();
  for (let index = 0; keys.size < masters.length; index++) {
    const key = `${prefix}${index}`;
    const port = ownerPort(client, key);
    if (!keys.has(port)) keys.set(port, key);
  }
  return masters.map((port) => keys.get(port)!);
}

/** Parses `INFO <section>` of the node on `port` into a map of fields. */
export async function nodeInfo(port: number, section: string): Promise<Map<string, string>> {
  const text = String(await redisCommand('127.0.0.1', port, ['INFO', section]));
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** How many times the node on `port` ran `command` (INFO commandstats). */
export async function commandCalls(port: number, command: string): Promise<number> {
  const stats = (await nodeInfo(port, 'commandstats')).get(`cmdstat_${command}`) ?? 'calls=0';
  return Number(/calls=(\d+)/.exec(stats)?.[1]);
}

/** How many error replies starting with `code` (`ASK`, `MOVED`, `TRYAGAIN`…) the node on `port` sent (INFO errorstats). */
export async function errorReplies(port: number, code: string): Promise<number> {
  const stats = (await nodeInfo(port, 'errorstats')).get(`errorstat_${code}`) ?? 'count=0';
  return Number(/count=(\d+)/.exec(stats)?.[1]);
}

/**
 * A throwaway cluster of the test file's own (3 masters, 3 replicas) and a plain client on it
 * (`plainCluster`), started before the tests of the enclosing `describe` and stopped after;
 * `use` receives them once started.
 */
export function useOwnCluster(use: (cluster: RedisCluster, writer: RedisClusterType) => void): void {
  let cluster: RedisCluster | undefined;
  let writer: RedisClusterType | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    writer = await plainCluster(cluster);
    use(cluster, writer);
  }, 30_000);
  afterAll(async () => {
    await writer?.close();
    await cluster?.stop();
  });
}
