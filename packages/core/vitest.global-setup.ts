import { getRedis } from '@redcache/redis-harness';
import type { TestProject } from 'vitest/node';

/** A Redis for the script tests: REDIS_URL, else a throwaway server (see @redcache/redis-harness). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await getRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
