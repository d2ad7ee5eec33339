import { findOnPath } from './find-on-path.js';
import type { RedisHandle } from './redis-handle.js';
import { startRedisContainer } from './start-redis-container.js';
import { startRedisServer } from './start-redis-server.js';

export const NO_REDIS_MESSAGE =
  'No Redis server to run against. Do one of: install redis-server so it is on PATH ' +
  '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis); ' +
  'or set REDIS_URL=redis://127.0.0.1:6379 to use a server you run; ' +
  'or start a Docker engine and install testcontainers (pnpm add -D testcontainers).';

/**
 * A Redis server for integration tests, in this order: `REDIS_URL` if set; else a throwaway
 * `redis-server` from PATH on a free port; else a testcontainers Redis when a Docker engine
 * answers; else an Error that says how to get one.
 */
export async function getRedis(): Promise<RedisHandle> {
  const url = process.env.REDIS_URL;
  if (url !== undefined && url !== '') return { url, stop: async () => {} };
  if (findOnPath('redis-server') !== undefined) {
    const server = await startRedisServer();
    return { url: server.url, stop: server.stop };
  }
  const container = await startRedisContainer();
  if (container !== undefined) return container;
  throw new Error(NO_REDIS_MESSAGE);
}
