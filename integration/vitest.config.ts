import { defineConfig } from 'vitest/config';

/**
 * Two targets for one suite: `test/suite` runs against a single Redis (project `redis`) and
 * against a throwaway Redis Cluster (project `cluster`); `test/standalone` and `test/cluster`
 * hold what only makes sense on one of them. See src/target-global-setup.ts.
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
    ],
  },
});
