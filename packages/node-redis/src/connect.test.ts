import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { InvalidOptionsError, newStringCache, StringCodec } from '@redcache/core';
import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import { BasicClientSideCache, type RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fromClient } from './connect.js';
import { expectFromClientServesAndCloses } from './test-support/from-client.js';
import { plainClient, testPrefix, trackingClient, waitFor } from './test-support/redis.js';
import { runChild } from './test-support/run-child.js';

const prefix = testPrefix('connect');
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('connect and fromClient', () => {
  let redis: RedisHandle;
  let admin: RedisClientType;

  beforeAll(async () => {
    redis = await getRedis();
    admin = await plainClient(redis.url);
  });
  afterAll(async () => {
    await admin?.close();
    await redis?.stop();
  });

  const connectionsNamed = async (name: string) =>
    String(await admin.sendCommand(['CLIENT', 'LIST']))
      .split('\n')
      .filter((line) => line.includes(` name=${name} `)).length;

  it('connect() opens a Conn over a RESP3 client with emitInvalidate, and the cache works end to end', async () => {
    const name = `redcache-test-${randomUUID()}`;
    const conn = await connect({ url: redis.url, name });
    const client = conn.client as RedisClientType;
    expect(client.isReady).toBe(true);
    expect(client.options?.emitInvalidate).toBe(true);
    expect(await connectionsNamed(name)).toBe(1);

    const cache = newStringCache(conn, StringCodec);
    const key = `${prefix}end-to-end`;
    let loads = 0;
    const loader = async () => `loaded-${++loads}`;
    expect(await cache.get(key, 60_000, loader)).toBe('loaded-1');
    expect(await cache.get(key, 60_000, loader)).toBe('loaded-1');
    expect(loads).toBe(1);
    // Another client deletes the key: the invalidation drops the near-cache entry.
    await admin.del(key);
    await waitFor(async () => (await cache.peek(key, 60_000)).found === false);
    expect(await cache.get(key, 60_000, loader)).toBe('loaded-2');

    await conn.close();
    expect(client.isOpen).toBe(false);
    await waitFor(async () => (await connectionsNamed(name)) === 0);
  });

  it("connect() turns node-redis' maintenance notifications off unless you ask for them (each push went through their handler: ~5 µs per invalidation)", async () => {
    const plain = await connect({ url: redis.url });
    const asked = await connect({ url: redis.url, maintNotifications: 'auto' });
    try {
      expect((plain.client as RedisClientType).options?.maintNotifications).toBe('disabled');
      expect((asked.client as RedisClientType).options?.maintNotifications).toBe('auto');
    } finally {
      await plain.close();
      await asked.close();
    }
  });

  it('connect() keeps a clientSideCache you pass, and does not add emitInvalidate', async () => {
    const clientSideCache = new BasicClientSideCache();
    const conn = await connect({ url: redis.url, clientSideCache });
    const client = conn.client as RedisClientType;
    expect(client.clientSideCache).toBe(clientSideCache);
    expect(client.options?.emitInvalidate).toBeUndefined();
    await conn.close();
  });

  it('connect() rejects invalid redcache options and leaves no connection', async () => {
    const name = `redcache-test-${randomUUID()}`;
    await expect(connect({ url: redis.url, name }, { lockTTLMs: 5 })).rejects.toThrow(InvalidOptionsError);
    await waitFor(async () => (await connectionsNamed(name)) === 0);
  });

  // Defect 15 of issue 10: the options were validated only once connected, so with a server
  // that cannot be reached (node-redis retries forever) the options error never came.
  it('defect 15: connect() rejects invalid redcache options before it opens any socket (an unreachable server)', async () => {
    const refused = net.createServer();
    await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
    const { port } = refused.address() as net.AddressInfo;
    await new Promise<void>((resolve) => refused.close(() => resolve()));
    let sockets = 0;
    const countSockets = () => sockets++;
    const channel = diagnostics.channel('net.client.socket');
    channel.subscribe(countSockets);
    try {
      // No retries: on a connect that validated late, the error would be ECONNREFUSED.
      const error = await connect(
        { url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } },
        { refreshTimeoutMs: 1e10 },
      ).then(
        () => 'connected',
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as Error).message).toContain('refreshTimeoutMs');
      expect(sockets).toBe(0);
    } finally {
      channel.unsubscribe(countSockets);
    }
  });

  it('connect() refuses RESP2', async () => {
    const options = { url: redis.url, RESP: 2 } as unknown as { url: string };
    await expect(connect(options)).rejects.toThrow(/RESP must be 3/);
  });

  it('fromClient() opens a Conn over your client, and leaves it untouched when the options are invalid', async () => {
    const client = await trackingClient(redis.url);
    expect(() => fromClient(client, { lockTTLMs: 5 })).toThrow(InvalidOptionsError);
    expect(client.listenerCount('invalidate')).toBe(0);
    expect(client.isReady).toBe(true);

    await expectFromClientServesAndCloses(client, `${prefix}from-client`);
  });

  it('connect() and fromClient() pass the driver options on (a liveness check of 20 ms here)', async () => {
    const lastCommand = async (name: string) => {
      const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
      const line = list.split('\n').find((candidate) => candidate.includes(` name=${name} `));
      return / cmd=(\S+)/.exec(line ?? '')?.[1];
    };
    const driverOptions = { livenessCheck: { intervalMs: 20, timeoutMs: 1_000 } };
    const connected = `redcache-test-${randomUUID()}`;
    const conn = await connect({ url: redis.url, name: connected }, {}, driverOptions);
    await waitFor(async () => (await lastCommand(connected)) === 'ping', 500);
    await conn.close();

    const yours = `redcache-test-${randomUUID()}`;
    const fromYours = fromClient(await trackingClient(redis.url, { name: yours }), {}, driverOptions);
    await waitFor(async () => (await lastCommand(yours)) === 'ping', 500);
    await fromYours.close();
  });

  it('connect() and fromClient() reject invalid driver options before they connect or listen', async () => {
    const name = `redcache-test-${randomUUID()}`;
    const invalid = { livenessCheck: { intervalMs: 0, timeoutMs: 1_000 } };
    await expect(connect({ url: redis.url, name }, {}, invalid)).rejects.toThrow(/livenessCheck\.intervalMs/);
    expect(await connectionsNamed(name)).toBe(0);
    const client = await trackingClient(redis.url);
    expect(() => fromClient(client, {}, invalid)).toThrow(InvalidOptionsError);
    expect(client.listenerCount('invalidate')).toBe(0);
    await client.close();
  });

  it('a process that connects, reads and closes exits by itself', async () => {
    const { output, code } = await runChild(
      ['--import', 'tsx', 'src/test-support/exit-child.ts', redis.url, `${prefix}exit`],
      packageDirectory,
    );
    expect(output).toContain('value=loaded');
    expect(code).toBe(0);
  }, 20_000);
});
