import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRedis, startRedisCluster } from '@redcache/redis-harness';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { mastersOf, ownerOf, slotOwners } from './cluster-topology.js';
import { clusterTarget, type RedisTarget } from './redis-target.js';

/**
 * The integration suites' global setup: the cluster projects (`cluster`, `ioredis-cluster`:
 * CLUSTER_PROJECTS) get a throwaway Redis Cluster each (3 masters, 3 replicas); every other
 * project one Redis (REDIS_URL, else a throwaway server).
 * Tests read where with `inject('redisTarget')`.
 *
 * On the cluster, the keys the suites sent (key-spread-setup.ts) are counted per master at the
 * end, and a run of the suites (100 keys or more; one file alone may use a handful) fails if
 * any master got none: they must exercise every node. Vitest reports an error thrown by a
 * global teardown but exits 0, so the check sets the exit code itself.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!CLUSTER_PROJECTS.includes(project.name)) {
    const redis = await getRedis();
    project.provide('redisTarget', redis.url);
    return () => redis.stop();
  }
  const cluster = await startRedisCluster();
  const keySpreadDir = await mkdtemp(join(tmpdir(), 'redcache-key-spread-'));
  project.provide('redisTarget', clusterTarget(cluster.rootNodes));
  project.provide('keySpreadDir', keySpreadDir);
  return async () => {
    try {
      await checkKeySpread(keySpreadDir, cluster.nodes[0]!.port);
    } finally {
      await rm(keySpreadDir, { recursive: true, force: true });
      await cluster.stop();
    }
  };
}

/** The projects that run on a cluster (the others on one Redis). */
export const CLUSTER_PROJECTS: readonly string[] = ['cluster', 'ioredis-cluster'];

/** With this many keys spread by CRC16, missing a master is (2/3)^100: never, unless they are not spread. */
const ENOUGH_KEYS = 100;

async function checkKeySpread(directory: string, port: number): Promise<void> {
  const keys = new Set<string>();
  for (const file of await readdir(directory)) {
    for (const key of JSON.parse(await readFile(join(directory, file), 'utf8')) as string[]) keys.add(key);
  }
  const owners = await slotOwners(port);
  const perMaster = new Map<number, number>(mastersOf(owners).map((master) => [master, 0]));
  for (const key of keys) perMaster.set(ownerOf(owners, key), (perMaster.get(ownerOf(owners, key)) ?? 0) + 1);
  const counts = [...perMaster].map(([master, count]) => `${master}: ${count}`).join(', ');
  console.log(`cluster target: ${keys.size} distinct keys sent by the suites; per master ${counts}`);
  if (keys.size >= ENOUGH_KEYS && [...perMaster.values()].some((count) => count === 0)) {
    console.error(`FAIL: the suites did not reach every master of the cluster (${counts})`);
    process.exitCode = 1;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisTarget: RedisTarget;
    /** Only on the cluster projects. */
    keySpreadDir?: string;
  }
}
