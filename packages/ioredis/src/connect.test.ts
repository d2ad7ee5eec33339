import { ConnectError, InvalidOptionsError, newStringCache, StringCodec } from '@redcache/core';
import { freePort, type RedisServer, redisCommand, startRedisServer } from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fromClient } from './connect.js';

const TIMEOUT_MS = 500;
// A liveness bound, not a speed claim.
const LIVENESS_BOUND_MS = TIMEOUT_MS + 2_000;

let server: RedisServer;
let guarded: RedisServer;
beforeAll(async () => {
  [server, guarded] = await Promise.all([startRedisServer(), startRedisServer()]);
  // Set once it answers: the harness waits for a PING that a password would refuse.
  expect(await redisCommand('127.0.0.1', guarded.port, ['CONFIG', 'SET', 'requirepass', 'sesame'])).toBe(
    'OK',
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([server?.stop(), guarded?.stop()]);
});

describe('connect', () => {
  it('opens a Conn whose reads load once and are then served; conn.client is an ioredis Redis that connects on first use', async () => {
    const conn = await connect(server.url);
    try {
      expect(conn.client).toBeInstanceOf(Redis);
      expect(conn.client.status).toBe('wait');
      const pages = newStringCache(conn, StringCodec);
      let loads = 0;
      const load = async () => {
        loads++;
        return 'page';
      };
      expect(await pages.get('connect:page', 60_000, load)).toBe('page');
      expect(await pages.get('connect:page', 60_000, load)).toBe('page');
      expect(loads).toBe(1);
      expect(await conn.client.get('connect:page')).toMatch(/^__redcache:v1:/);
    } finally {
      await conn.close();
    }
    // Closing settles: ioredis reports the end of a connection a tick after it closes it.
    await expect.poll(() => conn.client.status).toBe('end');
  });

  it('rejects with ConnectError (refused) naming the address, within connectTimeoutMs', async () => {
    const port = await freePort();
    const started = performance.now();
    const outcome = await connect(`redis://127.0.0.1:${port}`, {}, { connectTimeoutMs: TIMEOUT_MS }).catch(
      (error: unknown) => error,
    );
    expect(performance.now() - started).toBeLessThan(LIVENESS_BOUND_MS);
    expect(outcome).toBeInstanceOf(ConnectError);
    expect((outcome as ConnectError).reason).toBe('refused');
    expect((outcome as ConnectError).message).toContain(`127.0.0.1:${port}`);
  });

  it('rejects with ConnectError (auth) for a wrong password', async () => {
    const outcome = await connect(
      `redis://:wrong@127.0.0.1:${guarded.port}`,
      {},
      { connectTimeoutMs: TIMEOUT_MS },
    ).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ConnectError);
    expect((outcome as ConnectError).reason).toBe('auth');
  });

  it('connects with the right password: the tracking connections inherit it', async () => {
    const conn = await connect({ host: '127.0.0.1', port: guarded.port, password: 'sesame' });
    try {
      const cache = newStringCache(conn, StringCodec);
      expect(await cache.get('connect:auth', 60_000, async () => 'ok')).toBe('ok');
    } finally {
      await conn.close();
    }
  });

  it('refuses a keyPrefix at once (InvalidOptionsError naming it), before any socket', async () => {
    const outcome = await connect({ port: server.port, keyPrefix: 'app:' }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(InvalidOptionsError);
    expect((outcome as Error).message).toContain('keyPrefix "app:"');
  });

  it('refuses invalid driver options at once', async () => {
    await expect(connect(server.url, {}, { connectTimeoutMs: 0 })).rejects.toBeInstanceOf(
      InvalidOptionsError,
    );
    await expect(
      connect(server.url, {}, { livenessCheck: { intervalMs: 0, timeoutMs: 1 } } as never),
    ).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});

describe('fromClient', () => {
  it('returns at once; calls wait until tracking is set up; Conn.close leaves your client open', async () => {
    const client = new Redis(server.url);
    const conn = fromClient(client);
    try {
      const cache = newStringCache(conn, StringCodec);
      expect(await cache.get('from-client:k', 60_000, async () => 'v')).toBe('v');
      expect(conn.client).toBe(client);
    } finally {
      await conn.close();
    }
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it("the driver never sends on your client: your client's commands are not tracked, and its writes invalidate redcache's near cache", async () => {
    const client = new Redis(server.url);
    const conn = fromClient(client);
    try {
      const cache = newStringCache(conn, StringCodec);
      expect(await cache.get('from-client:shared', 60_000, async () => 'first')).toBe('first');
      expect(await client.client('TRACKINGINFO')).toEqual(['flags', ['off'], 'redirect', -1, 'prefixes', []]);
      await client.set('from-client:shared', 'raw');
      await expect.poll(() => cache.get('from-client:shared', 60_000, async () => 'loaded')).toBe('raw');
    } finally {
      await conn.close();
      await client.quit();
    }
  });
});
