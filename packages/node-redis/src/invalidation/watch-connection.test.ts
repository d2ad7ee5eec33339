import type { Driver } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { isErrorReply } from '../pipeline/is-error-reply.js';
import { plainClient, testPrefix, text, trackingClient, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('connection');

describe('connection loss', () => {
  let redis: RedisHandle;
  let admin: RedisClientType;
  let client: RedisClientType;
  let driver: Driver;
  let seen: Array<string | null>;
  let events: string[];

  beforeAll(async () => {
    redis = await getRedis();
    admin = await plainClient(redis.url);
  });
  beforeEach(async () => {
    client = await trackingClient(redis.url);
    driver = createNodeRedisDriver(client);
    seen = [];
    events = [];
    driver.onInvalidate((key) => seen.push(key));
    for (const event of ['error', 'reconnecting', 'connect', 'ready', 'end']) {
      client.on(event, () => events.push(event));
    }
    return () => driver.close();
  });
  afterAll(async () => {
    await admin?.close();
    await redis?.stop();
  });

  const connectionId = async () => Number((await driver.send([{ key: '', args: ['CLIENT', 'ID'] }]))[0]);
  const kill = async (id: number) => {
    expect(await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(id)])).toBe(1);
  };

  it('reports null when the connection is killed, and reads work again after the reconnect', async () => {
    const key = `${prefix}killed`;
    await admin.set(key, 'before', { expiration: { type: 'PX', value: 60_000 } });
    const id = await connectionId();
    await kill(id);
    await waitFor(() => events.includes('ready'));
    expect(seen).toContain(null);
    expect(seen.every((changed) => changed === null)).toBe(true);
    // node-redis' own order on CLIENT KILL:
    expect(events).toEqual(['error', 'reconnecting', 'connect', 'ready']);
    const [value] = await driver.send([{ key, args: ['GET', key] }]);
    expect(text(value)).toBe('before');
    expect(await connectionId()).not.toBe(id);
  });

  it('tracks again on the new connection: a key read after the reconnect is reported', async () => {
    const key = `${prefix}retracked`;
    await kill(await connectionId());
    await waitFor(() => events.includes('ready'));
    seen.length = 0;
    await driver.send([{ key, args: ['GET', key] }]);
    await admin.set(key, 'changed', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.includes(key));
  });

  it('rejects the whole call when the connection dies under a command in flight', async () => {
    const key = `${prefix}inflight`;
    const id = await connectionId();
    const pending = driver.send([
      { key, args: ['GET', key] },
      { key, args: ['BLPOP', `${key}:list`, '5'] },
    ]);
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitFor(async () => {
      const list = String(await admin.sendCommand(['CLIENT', 'LIST', 'ID', String(id)]));
      return list.includes('cmd=blpop');
    });
    await kill(id);
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect(isErrorReply(error)).toBe(false);
    expect((error as Error).message).toMatch(/Socket closed unexpectedly/);
    // The connection-loss null came before the rejection reached the caller.
    expect(seen).toContain(null);
  });
});
