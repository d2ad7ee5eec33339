import { InvalidOptionsError } from '@redcache/core';
import { getRedis, type RedisHandle, type RedisServer, startRedisServer } from '@redcache/redis-harness';
import {
  BasicClientSideCache,
  createClient,
  createCluster,
  RESP_TYPES,
  type RedisClientType,
} from '@redis/client';
import { createClient as createRedisClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver, type NodeRedisDriverOptions } from './create-node-redis-driver.js';
import { plainClient, testPrefix, trackingClient, waitFor } from './test-support/redis.js';

const prefix = testPrefix('driver');
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('createNodeRedisDriver: which clients it takes', () => {
  it('rejects a client with neither emitInvalidate nor clientSideCache, and says what to do', () => {
    const client = createClient({ url: 'redis://127.0.0.1:1' });
    const attempt = () => createNodeRedisDriver(client);
    expect(attempt).toThrow(InvalidOptionsError);
    expect(attempt).toThrow(/emitInvalidate: true/);
    expect(attempt).toThrow(/connect\(\)/);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('rejects a RESP2 client', () => {
    const client = createClient({ url: 'redis://127.0.0.1:1', RESP: 2 });
    expect(() => createNodeRedisDriver(client as unknown as RedisClientType)).toThrow(/RESP2/);
  });

  it('takes a client with emitInvalidate or a clientSideCache, and reports slot 0 for every key', async () => {
    const driver = createNodeRedisDriver(createClient({ emitInvalidate: true }));
    expect(driver.slotOf('a')).toBe(0);
    expect(driver.slotOf('{tag}b')).toBe(0);
    await driver.close();
    const cached = createNodeRedisDriver(createClient({ clientSideCache: new BasicClientSideCache() }));
    await cached.close();
    // Clients of the `redis` package (with its modules) and with a type mapping are accepted as they are.
    const full = createRedisClient({ emitInvalidate: true });
    const mapped = createClient({
      emitInvalidate: true,
      commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
    });
    expect(createNodeRedisDriver(full).client).toBe(full);
    expect(createNodeRedisDriver(mapped).client).toBe(mapped);
  });
});

describe('createNodeRedisDriver: the livenessCheck option', () => {
  const client = () => createClient({ url: 'redis://127.0.0.1:1', emitInvalidate: true });
  const cluster = () =>
    createCluster({
      rootNodes: [{ url: 'redis://127.0.0.1:1' }],
      RESP: 3,
      defaults: { emitInvalidate: true },
    });

  it.each([
    [{ intervalMs: 0, timeoutMs: 1_000 }, /livenessCheck\.intervalMs: must be a positive integer/],
    [{ intervalMs: 1.5, timeoutMs: 1_000 }, /livenessCheck\.intervalMs/],
    [{ intervalMs: Number.NaN, timeoutMs: 1_000 }, /livenessCheck\.intervalMs/],
    [{ intervalMs: 2 ** 31, timeoutMs: 1_000 }, /livenessCheck\.intervalMs: .*at most 2147483647/],
    [{ intervalMs: 1_000, timeoutMs: 9 }, /livenessCheck\.timeoutMs: must be an integer of at least 10/],
    [{ intervalMs: 1_000 }, /livenessCheck\.timeoutMs/],
    [{ intervalMs: '1000', timeoutMs: -1 }, /livenessCheck\.intervalMs.*; livenessCheck\.timeoutMs/],
    [true, /livenessCheck: must be \{ intervalMs, timeoutMs \} or false/],
    [null, /livenessCheck: must be/],
  ])(
    'rejects %j, naming the option, and touches neither a client nor a cluster',
    (livenessCheck, message) => {
      const options = { livenessCheck } as unknown as NodeRedisDriverOptions;
      const single = client();
      expect(() => createNodeRedisDriver(single, options)).toThrow(InvalidOptionsError);
      expect(() => createNodeRedisDriver(single, options)).toThrow(message);
      expect(single.listenerCount('error')).toBe(0);
      const many = cluster();
      expect(() => createNodeRedisDriver(many, options)).toThrow(message);
      expect(many.listenerCount('node-ready')).toBe(0);
    },
  );

  it('takes false, any valid check, or none (the default)', async () => {
    for (const options of [
      { livenessCheck: false as const },
      { livenessCheck: { intervalMs: 1, timeoutMs: 10 } },
      {},
    ]) {
      await createNodeRedisDriver(client(), options).close();
      await createNodeRedisDriver(cluster(), options).close();
    }
  });
});

describe('createNodeRedisDriver: invalidations', () => {
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

  it('reports a key it read when another client sets it, until unsubscribed', async () => {
    const driver = createNodeRedisDriver(await trackingClient(redis.url));
    const key = `${prefix}invalidated`;
    const seen: Array<string | null> = [];
    const unsubscribe = driver.onInvalidate((changed) => seen.push(changed));
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'changed', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.includes(key));
    expect(seen).toEqual([key]);

    unsubscribe();
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'again', { expiration: { type: 'PX', value: 60_000 } });
    await settle();
    expect(seen).toEqual([key]);
    await driver.close();
  });

  it('does not report keys it never read', async () => {
    const driver = createNodeRedisDriver(await trackingClient(redis.url));
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await writer.set(`${prefix}unread`, 'x', { expiration: { type: 'PX', value: 60_000 } });
    await settle();
    expect(seen).toEqual([]);
    await driver.close();
  });

  it('follows the invalidations of a clientSideCache client', async () => {
    const client = createClient({ url: redis.url, clientSideCache: new BasicClientSideCache() });
    await client.connect();
    const driver = createNodeRedisDriver(client);
    const key = `${prefix}csc`;
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'changed', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.includes(key));
    await driver.close();
  });

  it('keeps delivering to the other listeners when one throws', async () => {
    const driver = createNodeRedisDriver(await trackingClient(redis.url));
    const key = `${prefix}throwing`;
    const seen: Array<string | null> = [];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    driver.onInvalidate(() => {
      throw new Error('listener failed');
    });
    driver.onInvalidate((changed) => seen.push(changed));
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'changed', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.includes(key) && warnings.includes('listener failed'));
    process.off('warning', onWarning);
    // The connection survived the throw: it still reads and reports.
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'twice', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.length === 2);
    await driver.close();
  });

  it('close() closes the client once, removes its listeners, and later sends reject', async () => {
    const client = await trackingClient(redis.url);
    const errorListeners = client.listenerCount('error');
    const driver = createNodeRedisDriver(client);
    expect(client.listenerCount('invalidate')).toBe(1);
    expect(client.listenerCount('error')).toBe(errorListeners + 1);
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await Promise.all([driver.close(), driver.close()]);
    await driver.close();
    expect(client.isOpen).toBe(false);
    expect(client.listenerCount('invalidate')).toBe(0);
    expect(client.listenerCount('error')).toBe(errorListeners);
    expect(client.listenerCount('ready')).toBe(0);
    expect(seen).toEqual([]);
    await expect(driver.send([{ key: 'k', args: ['GET', 'k'] }])).rejects.toThrow(/closed/);
  });

  it('close() drops a client that is still connecting', async () => {
    const client = createClient({ url: 'redis://127.0.0.1:1', emitInvalidate: true });
    const driver = createNodeRedisDriver(client);
    void client.connect().catch(() => {});
    expect(client.isOpen).toBe(true);
    await driver.close();
    expect(client.isOpen).toBe(false);
  });
});

describe('createNodeRedisDriver: FLUSHALL (own server)', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports null when the server is flushed', async () => {
    const driver = createNodeRedisDriver(await trackingClient(server.url));
    const flusher = await plainClient(server.url);
    const key = `${prefix}flushed`;
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await driver.send([
      { key, args: ['SET', key, 'v'] },
      { key, args: ['GET', key] },
    ]);
    await settle();
    seen.length = 0; // drop the invalidation of our own SET, if any
    await flusher.flushAll();
    await waitFor(() => seen.includes(null));
    expect(seen).toEqual([null]);
    await flusher.close();
    await driver.close();
  });
});
