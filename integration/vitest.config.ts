import { configDefaults, defineConfig } from 'vitest/config';
import { REDIS_DRIVER_ENV, type RedisDriverName } from './src/redis-driver.js';

/** The test files that run every driver whatever the project (issue 15, acceptance 3 and 4). */
const DRIVERS_CHOSEN_BY_THE_TEST = [
  'test/standalone/coherence-stress.test.ts',
  'test/standalone/mixed-fleet*.test.ts',
];

/**
 * Four targets for one suite: `test/suite` runs against a single Redis (project `redis`) and
 * against a throwaway Redis Cluster (project `cluster`), both through the node-redis driver,
 * and the same two through the ioredis driver (projects `ioredis` and `ioredis-cluster`,
 * which pick it with REDCACHE_TEST_DRIVER: src/redis-driver.ts); `test/standalone` and
 * `test/cluster` hold what only makes sense on one kind of target, and run with both drivers.
 * See src/target-global-setup.ts.
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
          include: ['test/suite/**/*.test.ts', 'test/standalone/**/*.test.ts'],
          // These two pick their drivers themselves (both, in every run): once, in `redis`, is enough.
          exclude: [...configDefaults.exclude, ...DRIVERS_CHOSEN_BY_THE_TEST],
          env: { [REDIS_DRIVER_ENV]: 'ioredis' satisfies RedisDriverName },
        },
      },
      {
        extends: true,
        test: {
          name: 'ioredis-cluster',
          include: ['test/suite/**/*.test.ts', 'test/cluster/**/*.test.ts'],
          setupFiles: ['src/key-spread-setup.ts'],
          env: { [REDIS_DRIVER_ENV]: 'ioredis' satisfies RedisDriverName },
        },
      },
    ],
  },
});
