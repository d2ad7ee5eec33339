import { ping, startRedisServer } from '@redcache/redis-harness';

export interface DemoRedis {
  readonly url: string;
  /** Where the server came from, for the output. */
  readonly source: string;
  /** Stops the server if the demo started it. */
  stop(): Promise<void>;
}

export const NO_REDIS =
  'No Redis to run the demo against. Do one of:\n' +
  '  - set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379 pnpm demo\n' +
  '  - start a Redis 7+ on 127.0.0.1:6379 (docker run --rm -p 6379:6379 redis:7)\n' +
  '  - install redis-server so it is on PATH (apt-get install redis-server, brew install redis):\n' +
  '    the demo then starts a throwaway one';

/**
 * A Redis for the demo: REDIS_URL if set; else one answering on 127.0.0.1:6379; else a
 * throwaway `redis-server` from PATH (stopped at the end); else undefined.
 */
export async function findRedis(): Promise<DemoRedis | undefined> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { url: fromEnv, source: 'REDIS_URL', stop: async () => {} };
  }
  if (await ping('127.0.0.1', 6379)) {
    return { url: 'redis://127.0.0.1:6379', source: 'the server on 127.0.0.1:6379', stop: async () => {} };
  }
  try {
    const server = await startRedisServer();
    return {
      url: server.url,
      source: `a throwaway redis-server (pid ${server.pid}), stopped at the end`,
      stop: server.stop,
    };
  } catch (error) {
    if (String(error).includes('not on PATH')) return undefined;
    throw error;
  }
}
