/**
 * Which redcache driver the integration tests open their Conns with: `node-redis` (the
 * default) or `ioredis` (`@redcache/ioredis`, on a single server or a cluster).
 *
 * A vitest project picks it with the `REDCACHE_TEST_DRIVER` environment variable (its `env`
 * in vitest.config.ts). An environment variable, not a provided value, because the helpers
 * that read it also run in the worker processes a test forks (worker.ts, refresh-worker.ts,
 * failsafe-worker.ts): those inherit their parent's environment, so each opens its Conn with
 * the same driver as the test that forked it.
 */
export type RedisDriverName = 'node-redis' | 'ioredis';

/** The environment variable that names the driver. */
export const REDIS_DRIVER_ENV = 'REDCACHE_TEST_DRIVER';

const NAMES: readonly RedisDriverName[] = ['node-redis', 'ioredis'];

/** The driver this process's tests use: `REDCACHE_TEST_DRIVER`, else `node-redis`; throws on any other name. */
export function redisDriverName(env: NodeJS.ProcessEnv = process.env): RedisDriverName {
  const name = env[REDIS_DRIVER_ENV];
  if (name === undefined || name === '') return 'node-redis';
  if ((NAMES as readonly string[]).includes(name)) return name as RedisDriverName;
  throw new Error(`${REDIS_DRIVER_ENV}=${name}: expected one of ${NAMES.join(', ')}`);
}
