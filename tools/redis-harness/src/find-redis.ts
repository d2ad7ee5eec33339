import { getRedis } from './get-redis.js';
import { ping } from './ping.js';
import type { RedisHandle } from './redis-handle.js';

export interface FoundRedis extends RedisHandle {
  /** Where the server came from, for a program's output. */
  readonly source: string;
}

/**
 * A Redis for a demo or an example: `REDIS_URL` if set; else the server answering on
 * 127.0.0.1:6379; else what `getRedis()` finds (a throwaway `redis-server` from PATH, or a
 * testcontainers Redis). `stop()` stops only a server started here. Throws `NO_REDIS_MESSAGE`
 * when there is none. `localPort` moves the 127.0.0.1 port looked at (a test's "nothing here").
 */
export async function findRedis(localPort = 6379): Promise<FoundRedis> {
  const url = process.env.REDIS_URL;
  if (url !== undefined && url !== '') return { url, source: 'REDIS_URL', stop: async () => {} };
  if (await ping('127.0.0.1', localPort)) {
    const local = `127.0.0.1:${localPort}`;
    return { url: `redis://${local}`, source: `the server on ${local}`, stop: async () => {} };
  }
  const started = await getRedis();
  return { ...started, source: 'a throwaway Redis, stopped at the end' };
}

/** A key prefix no other run shares: a program touches only its own keys and never flushes. */
export function uniqueKeyPrefix(name: string): string {
  return `${name}:${process.pid}:${Date.now().toString(36)}:`;
}
