import { findRedis, NO_REDIS_MESSAGE } from '@redcache/redis-harness';
import type { DemoFleet } from './demo-fleet.js';
import { openMemoryFleet } from './memory-fleet.js';
import { openProcessFleet } from './process-fleet.js';

/**
 * The 127.0.0.1 port the demo looks at when REDIS_URL is unset (default 6379). Its test sets
 * it to a port nothing listens on, to see the demo run with no Redis anywhere.
 */
export const LOCAL_PORT_VARIABLE = 'REDCACHE_DEMO_LOCAL_PORT';

export interface OpenedFleet {
  readonly fleet: DemoFleet;
  /** Set when the run is on the memory Redis: why there was no real one. */
  readonly fallback?: string;
}

/**
 * Worker processes against a real Redis (REDIS_URL, else the server on 127.0.0.1:6379, else a
 * throwaway `redis-server` from PATH); when there is none to use, Conns in this process on
 * the in-memory Redis of @redcache/testing.
 * @throws Error when a Redis was found but cannot be used (unreachable, too old).
 */
export async function openFleet(participants: number): Promise<OpenedFleet> {
  const localPort = Number(process.env[LOCAL_PORT_VARIABLE] || 6379);
  let redis: Awaited<ReturnType<typeof findRedis>>;
  try {
    redis = await findRedis(localPort);
  } catch (error) {
    const message = (error as Error).message;
    const none = `REDIS_URL is unset, nothing answers on 127.0.0.1:${localPort}`;
    const fallback =
      message === NO_REDIS_MESSAGE
        ? `${none}, and there is no redis-server on PATH to start (nor a Docker engine for testcontainers).`
        : `${none}, and starting a Redis failed: ${message}`;
    return { fleet: openMemoryFleet(participants), fallback };
  }
  return { fleet: await openProcessFleet(redis, participants) };
}
