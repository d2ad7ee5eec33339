import { Conn, type Options } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { getRedis } from '@redcache/redis-harness';
import { createMemoryRedis } from '@redcache/testing';
import { createClient } from 'redis';

/**
 * The near cache is bounded far below the key count, so the values it keeps cannot pass for
 * growth: at most 1,000 entries at any time (and the deletes below empty it anyway).
 */
export const SOAK_OPTIONS: Options = { nearCache: { maxEntries: 1_000 } };

/** Where the soak runs: a Conn, and a server whose keys the soak deletes as it goes. */
export interface SoakTarget {
  readonly name: string;
  readonly conn: Conn;
  /** Deletes `keys` on the server as another client would (each tracked key sends its invalidation). */
  clear(keys: readonly string[]): Promise<void>;
  /** How many keys the server holds now. */
  serverKeys(): Promise<number>;
  /** Stops what `open` started (after `conn.close()`). */
  stop(): Promise<void>;
}

/**
 * The memory server of `@redcache/testing`: the engine's own allocations and the fake's,
 * no sockets. The fake's memory lives in this heap too, so each block's end takes it back:
 * every key is deleted (its keys, expiry queue and tracking table hold none at a sample), and
 * the driver's record of every pipeline sent (`sent`, kept for tests to count; about 1 KB a
 * miss) is emptied. What is left to grow is the engine's.
 */
export function memoryTarget(): SoakTarget {
  const server = createMemoryRedis();
  const driver = server.connect();
  return {
    name: 'memory driver (@redcache/testing)',
    conn: Conn.open(driver, SOAK_OPTIONS),
    async clear(keys) {
      for (const key of keys) server.write(key, null);
      driver.sent.length = 0;
    },
    async serverKeys() {
      return server.keys().length;
    },
    async stop() {},
  };
}

/**
 * A real Redis (REDIS_URL, else a throwaway redis-server, see @redcache/redis-harness)
 * through @redcache/node-redis. The keys live in redis-server's memory, not this heap; they
 * are still unlinked block by block so a long run leaves nothing behind.
 */
export async function redisTarget(): Promise<SoakTarget> {
  const redis = await getRedis();
  const admin = createClient({ url: redis.url });
  await admin.connect();
  const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  const conn = await connect({ url: redis.url }, SOAK_OPTIONS);
  return {
    name: `Redis ${version} (${redis.url}) through @redcache/node-redis`,
    conn,
    async clear(keys) {
      if (keys.length > 0) await admin.unlink([...keys]);
    },
    serverKeys: () => admin.dbSize(),
    async stop() {
      await admin.close();
      await redis.stop();
    },
  };
}
