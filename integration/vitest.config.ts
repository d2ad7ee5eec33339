import { defineConfig } from 'vitest/config';
import { REDIS_DRIVER_ENV, type RedisDriverName } from './src/redis-driver.js';

/**
 * Three targets for one suite: `test/suite` runs against a single Redis (project `redis`),
 * against a throwaway Redis Cluster (project `cluster`), both through the node-redis driver,
 * and against a single Redis through the ioredis driver (project `ioredis`, which picks it
 * with REDCACHE_TEST_DRIVER: src/redis-driver.ts); `test/standalone` and `test/cluster` hold
 * what only makes sense on one of them. See src/target-global-setup.ts.
 */
export default defineConfig({
  test: {
    globalSetup: ['src/target-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'redis', include: ['test/suite/**/*.test.ts', 'test/standalone/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/suite/**/*.test.ts', 'test/cluster/**/*.test.ts'],
          setupFiles: ['src/key-spread-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'ioredis',
          include: ['test/suite/**/*.test.ts'],
          env: { [REDIS_DRIVER_ENV]: 'ioredis' satisfies RedisDriverName },
        },
      },
    ],
  },
});
