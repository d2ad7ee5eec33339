import {
  type RedisCluster,
  type RedisServer,
  startRedisCluster,
  startRedisServer,
} from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { driverFor, type IoredisDriverOptions } from '../create-ioredis-driver.js';
import type { StandaloneDriver } from '../standalone/standalone-driver.js';

/** `start()`'s result once `beforeAll` has run, behind a stand-in the test file can name at once. */
function started<T extends { stop(): Promise<void> }>(start: () => Promise<T>, what: string): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, 60_000);
  afterAll(async () => {
    await value?.stop();
  });
  return new Proxy({} as T, {
    get(_, property) {
      if (value === undefined)
        throw new Error(`the file's own ${what} is not started (used outside a test?)`);
      const member = Reflect.get(value, property) as unknown;
      return typeof member === 'function' ? member.bind(value) : member;
    },
  });
}

/** A throwaway redis-server of the test file's own: started before its tests, stopped after them. */
export function useServer(): RedisServer {
  return started(() => startRedisServer(), 'redis-server');
}

/** A throwaway 3+3 cluster of the test file's own: started before its tests, stopped after them. */
export function useCluster(): RedisCluster {
  return started(() => startRedisCluster(), 'cluster');
}

/** A standalone driver on `url` that owns its client, once its pair is established. */
export async function openDriver(
  url: string,
  options?: IoredisDriverOptions,
): Promise<StandaloneDriver<Redis>> {
  const driver = driverFor(new Redis(url, { lazyConnect: true }), options, { ownsClient: true });
  await driver.whenEstablished();
  return driver;
}
