import { ConnectError, InvalidOptionsError, newStringCache, StringCodec } from '@redcache/core';
import type { RedisClientType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { fromClient } from '../connect.js';
import { quietClient, useRedisAndOldStandIn } from '../test-support/from-client.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { testPrefix } from '../test-support/redis.js';

const prefix = testPrefix('from-client-check');

/** The ConnectError in an error's cause chain, if any. */
function connectErrorIn(error: unknown): ConnectError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof ConnectError) return current;
  }
  return undefined;
}

describe('fromClient checks the server (HELLO 3, Redis 7.0+) on a ready client, or on its first ready', () => {
  const servers = useRedisAndOldStandIn();

  async function expectVersionFailure(yours: RedisClientType, connectFirst: boolean) {
    if (connectFirst) await yours.connect();
    const logger = recordingLogger();
    const conn = fromClient(yours, { logger });
    if (!connectFirst) await yours.connect();
    const cache = newStringCache(conn, StringCodec);
    let loads = 0;
    const loader = async () => `loaded-${++loads}`;
    for (let call = 0; call < 2; call++) {
      const error = await cache.get(`${prefix}old`, 60_000, loader).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toMatch(/^E_/);
      if (call === 0) {
        const cause = connectErrorIn(error);
        expect(cause?.reason).toBe('version');
        expect(cause?.address).toBe(servers.oldRedis.address);
        expect(cause?.message).toContain('Redis 6.2.0 is older than 7.0');
      }
    }
    expect(loads).toBe(0);
    const errors = logger.records.filter((record) => record.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(servers.oldRedis.address);
    expect(errors[0]?.message).toContain('Redis 6.2.0');
    // Only the handshake and the check reached the server: no read was sent.
    expect(servers.oldRedis.commands.filter((name) => name !== 'HELLO' && name !== 'CLIENT')).toEqual([]);
    await conn.close();
    expect(yours.isOpen).toBe(false);
  }

  it('a client already connected to a Redis 6.2: calls fail with the ConnectError as cause, logged at error once', async () => {
    await expectVersionFailure(quietClient(servers.oldRedis.url), true);
  });

  it('a client connected after fromClient, to a Redis 6.2: the check runs on its first ready', async () => {
    await expectVersionFailure(quietClient(servers.oldRedis.url), false);
  });

  it('a client connected after fromClient, to Redis 7: a call made before it is ready waits for the check, then serves', async () => {
    const yours = quietClient(servers.redis.url);
    const logger = recordingLogger();
    const conn = fromClient(yours, { logger });
    const cache = newStringCache(conn, StringCodec);
    const pending = cache.get(`${prefix}later`, 60_000, async () => 'loaded');
    await yours.connect();
    expect(await pending).toBe('loaded');
    expect(logger.records.filter((record) => record.level === 'error')).toEqual([]);
    await conn.close();
  });

  it('closing the Conn of a client that never got ready leaves no listener waiting for it', async () => {
    const yours = quietClient(servers.redis.url);
    const before = yours.listenerCount('ready');
    const conn = fromClient(yours);
    expect(yours.listenerCount('ready')).toBeGreaterThan(before);
    await conn.close();
    expect(yours.listenerCount('ready')).toBe(before);
  });

  it('an invalid connectTimeoutMs throws InvalidOptionsError naming it, and leaves the client untouched', async () => {
    const yours = quietClient(servers.redis.url);
    await yours.connect();
    expect(() => fromClient(yours, {}, { connectTimeoutMs: 0 })).toThrow(InvalidOptionsError);
    expect(() => fromClient(yours, {}, { connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
    expect(yours.listenerCount('invalidate')).toBe(0);
    expect(yours.isReady).toBe(true);
    await yours.close();
  });
});
