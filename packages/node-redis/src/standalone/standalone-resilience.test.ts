import type { DriverHealthEvent } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { plainClient, testPrefix, trackingClient, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('standalone-resilience');

describe('the standalone driver and the engine’s command bound and breaker', () => {
  let redis: RedisHandle;
  let writer: RedisClientType;

  beforeAll(async () => {
    redis = await getRedis();
    writer = await plainClient(redis.url);
  });
  afterAll(async () => {
    await writer?.close();
    await redis?.stop();
  });

  it('arms no AbortSignal.timeout per command (node-redis does, by default, for each one)', async () => {
    const client = await trackingClient(redis.url);
    const driver = createNodeRedisDriver(client);
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    try {
      await client.get(`${prefix}plain`);
      expect(timeout).toHaveBeenCalled(); // the spy sees node-redis's own timer when it arms one
      timeout.mockClear();
      const commands = Array.from({ length: 100 }, (_, i) => ({
        key: `${prefix}k${i}`,
        args: ['GET', `${prefix}k${i}`],
      }));
      expect(await driver.send(commands)).toHaveLength(100);
      expect(timeout).not.toHaveBeenCalled();
    } finally {
      timeout.mockRestore();
      await driver.close();
    }
  });

  it('names the server a key goes to', async () => {
    const driver = createNodeRedisDriver(await trackingClient(redis.url));
    const { hostname, port } = new URL(redis.url);
    expect(driver.serverOf?.('any')).toBe(`${hostname}:${port}`);
    await driver.close();
  });

  it('reports a lost connection, then the connection ready again, through onHealth', async () => {
    const client = await trackingClient(redis.url);
    const driver = createNodeRedisDriver(client);
    const events: DriverHealthEvent[] = [];
    driver.onHealth?.((event) => events.push(event));
    const id = Number(await client.sendCommand(['CLIENT', 'ID']));
    await writer.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    await waitFor(() => events.some((event) => event.healthy));
    expect(events[0]).toEqual({ healthy: false, reason: 'connection' });
    expect(events.at(-1)).toEqual({ healthy: true, reason: 'ready' });
    await driver.close();
  });
});
