import { getRedis } from '@redcache/redis-harness';
import type { TestProject } from 'vitest/node';

/**
 * A Redis for the node-redis run of the driver contract: REDIS_URL, else a throwaway server
 * (see @redcache/redis-harness). `redisOwned` is false for REDIS_URL: a shared server is never flushed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await getRedis();
  project.provide('redisUrl', redis.url);
  project.provide('redisOwned', process.env.REDIS_URL === undefined || process.env.REDIS_URL === '');
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisOwned: boolean;
  }
}
