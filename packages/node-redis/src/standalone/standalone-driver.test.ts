import { getRedis, type RedisHandle, type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { BasicClientSideCache, createClient, type RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { plainClient, testPrefix, trackingClient, waitFor } from '../test-support/redis.js';

const prefix = testPrefix('standalone');

describe('the standalone driver: invalidations', () => {
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
    // A listener still subscribed hears the next push: once it has, the first one would have too.
    const control: Array<string | null> = [];
    driver.onInvalidate((changed) => control.push(changed));
    await driver.send([{ key, args: ['GET', key] }]);
    await writer.set(key, 'again', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => control.includes(key));
    expect(seen).toEqual([key]);
    await driver.close();
  });

  it('does not report keys it never read', async () => {
    const driver = createNodeRedisDriver(await trackingClient(redis.url));
    const seen: Array<string | null> = [];
    driver.onInvalidate((changed) => seen.push(changed));
    await writer.set(`${prefix}unread`, 'x', { expiration: { type: 'PX', value: 60_000 } });
    // A key it did read, written after: its push comes after any push for the unread key would.
    const probe = `${prefix}unread-probe`;
    await driver.send([{ key: probe, args: ['GET', probe] }]);
    await writer.set(probe, 'x', { expiration: { type: 'PX', value: 60_000 } });
    await waitFor(() => seen.includes(probe));
    expect(seen).toEqual([probe]);
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

describe('the standalone driver: FLUSHALL (own server)', () => {
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
    // Pushes come in order with replies: one for our own SET, if any, came before the GET's reply.
    seen.length = 0;
    await flusher.flushAll();
    await waitFor(() => seen.includes(null));
    expect(seen).toEqual([null]);
    await flusher.close();
    await driver.close();
  });
});
