import { InvalidOptionsError } from '@redcache/core';
import {
  BasicClientSideCache,
  createClient,
  createCluster,
  RESP_TYPES,
  type RedisClientType,
} from '@redis/client';
import { createClient as createRedisClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { createNodeRedisDriver, type NodeRedisDriverOptions } from './create-node-redis-driver.js';

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
