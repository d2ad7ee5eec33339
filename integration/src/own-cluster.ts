import { type RedisCluster, startRedisCluster } from '@redcache/redis-harness';
import { afterAll, beforeAll } from 'vitest';
import { clusterTarget, type RedisTarget } from './redis-target.js';

/** A test file's own 3+3 cluster and its target, once started (read them inside tests and hooks). */
export interface OwnCluster {
  readonly cluster: RedisCluster;
  readonly target: RedisTarget;
}

/** Starts a throwaway cluster before the file's tests (a test may migrate its slots) and stops it after. */
export function useOwnCluster(): OwnCluster {
  const own = {} as { cluster: RedisCluster; target: RedisTarget };
  beforeAll(async () => {
    own.cluster = await startRedisCluster();
    own.target = clusterTarget(own.cluster.rootNodes);
  }, 60_000);
  afterAll(async () => {
    await own.cluster?.stop();
  }, 60_000);
  return own;
}
