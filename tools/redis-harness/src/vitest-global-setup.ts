import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { getRedis } from './get-redis.js';

/**
 * A vitest globalSetup: one Redis for the whole run (REDIS_URL, else a throwaway server),
 * handed to tests as `inject('redisUrl')`.
 */
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
