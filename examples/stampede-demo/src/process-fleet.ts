/**
 * The demo's usual run: worker processes (worker.ts), each with its own Conn to a real Redis;
 * an admin client of the parent reads the loader counters and deletes the keys at the end.
 */
import { type ForkedChild, forkChild } from '@redcache/fleet';
import type { FoundRedis } from '@redcache/redis-harness';
import { createClient } from 'redis';
import type { DemoFleet } from './demo-fleet.js';
import type { DemoChannel } from './protocol.js';

/** The worker process: forked through tsx, one per `--processes`. */
const WORKER = new URL('./worker.ts', import.meta.url);

/**
 * Checks the Redis at `redis.url` (reachable, 7.0+), then forks `processes` workers against it.
 * @throws Error with a message for the user when Redis cannot be reached, is too old, or a
 *   worker fails to start (whatever was started is stopped first).
 */
export async function openProcessFleet(redis: FoundRedis, processes: number): Promise<DemoFleet> {
  const admin = createClient({ url: redis.url, socket: { reconnectStrategy: false, connectTimeout: 5_000 } });
  const workers: ForkedChild<DemoChannel>[] = [];
  const close = async (keys: readonly string[]) => {
    await Promise.allSettled(workers.map((worker) => worker.close()));
    if (admin.isOpen) {
      if (keys.length > 0)
        await admin.unlink(keys.flatMap((key) => [key, `${key}:loader-calls`])).catch(() => {});
      await admin.close().catch(() => {});
    }
    await redis.stop();
  };
  try {
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`Cannot reach Redis at ${redis.url} (${redis.source}): ${String(error)}`);
    }
    const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
    if (Number.parseInt(version, 10) < 7) {
      throw new Error(`Redis ${version} at ${redis.url} is too old: redcache needs Redis 7.0+ (SET NX GET).`);
    }
    // Each worker is listed as soon as it is up, so close reaches it even if another fails to start.
    await Promise.all(
      Array.from({ length: processes }, async () => {
        workers.push(await forkChild<DemoChannel>(WORKER, [redis.url]));
      }),
    );
    return {
      where: `Redis ${version} at ${redis.url} (${redis.source})`,
      members: `Worker pids: ${workers.map((w) => w.pid).join(' ')}`,
      stampede: (request) => Promise.all(workers.map((worker) => worker.request(request))),
      loaderCalls: async (keys) =>
        (await admin.mGet(keys.map((key) => `${key}:loader-calls`))).map((count) => Number(count ?? 0)),
      close,
      kill: () => {
        for (const worker of workers) worker.kill();
      },
    };
  } catch (error) {
    await close([]);
    throw error;
  }
}
