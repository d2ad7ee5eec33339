/**
 * The ioredis driver when its connections or the server fail, against real redis-servers:
 * a killed subscriber or data connection, a frozen server (SIGSTOP), a killed and restarted
 * one. Each time the near cache must let go of what it held, and reads must be tracked again
 * (a later write by someone else reaches this process) once the pair is set up anew.
 */
import {
  type Conn,
  Conn as ConnClass,
  type DriverHealthEvent,
  NoopMetrics,
  newStringCache,
  RedisUnavailableError,
  StringCodec,
} from '@redcache/core';
import { type RedisServer, startRedisServer, startRedisServerOn } from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { killPairConnection } from '../test-support/pair-connections.js';

class Health extends NoopMetrics {
  downs: string[] = [];
  ups = 0;
  override redisDown(reason: string): void {
    this.downs.push(reason);
  }
  override redisUp(): void {
    this.ups++;
  }
}

const FAST_LIVENESS = { intervalMs: 100, timeoutMs: 200 };
const opened: Array<{ close(): Promise<void> }> = [];

function open(url: string, options: Parameters<typeof ConnClass.open>[1] = {}) {
  const driver = driverFor(
    new Redis(url, { lazyConnect: true }),
    { livenessCheck: FAST_LIVENESS },
    { ownsClient: true },
  );
  const health: DriverHealthEvent[] = [];
  const keys: Array<string | null> = [];
  driver.onHealth((event) => health.push(event));
  driver.onInvalidate((key) => keys.push(key));
  const metrics = new Health();
  const conn: Conn = ConnClass.open(driver, { metrics, ...options });
  opened.push(conn);
  return { driver, conn, health, keys, metrics, cache: newStringCache(conn, StringCodec) };
}

afterEach(async () => {
  for (const conn of opened.splice(0)) await conn.close();
});

describe('a killed pair connection', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const side of ['subscriber', 'data'] as const) {
    it(`(${side}): the near cache lets go, the pair comes back, and keys read after it are tracked by the new pair`, async () => {
      const mine = open(server.url);
      const other = open(server.url);
      const [held, later] = [`faults:${side}:held`, `faults:${side}:later`];
      expect(await mine.cache.get(held, 60_000, async () => 'v1')).toBe('v1');
      await other.cache.forceSet(held, 60_000, 'v2-unseen');
      await expect.poll(() => mine.keys.includes(held)).toBe(true);
      mine.keys.length = 0;
      expect(await mine.cache.get(held, 60_000, async () => 'reload')).toBe('v2-unseen');

      await killPairConnection(mine.driver, side, server.port);
      // Once the driver has seen the connection go (a call already on its way when it went
      // fails, as on any client), reads wait for the new pair and are tracked by it.
      await expect.poll(() => mine.keys.includes(null)).toBe(true);
      expect(await mine.cache.get(later, 60_000, async () => 'l1')).toBe('l1');
      expect(mine.health.map((event) => event.reason)).toEqual(
        expect.arrayContaining(['connection', 'ready']),
      );
      await other.cache.forceSet(later, 60_000, 'l2');
      await expect.poll(() => mine.cache.get(later, 60_000, async () => 'reload')).toBe('l2');
      await other.cache.forceSet(held, 60_000, 'v3');
      await expect.poll(() => mine.cache.get(held, 60_000, async () => 'reload')).toBe('v3');
    });
  }
});

describe('a frozen server (SIGSTOP)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  }, 60_000);
  afterAll(async () => {
    process.kill(server.pid, 'SIGCONT');
    await server?.stop();
  });

  it('fails the liveness check: every key counts as changed and the breaker opens; once it thaws, the pair is set up again and reads are coherent', async () => {
    const mine = open(server.url, { commandTimeoutMs: 300 });
    const other = open(server.url);
    const key = 'frozen:k';
    expect(await mine.cache.get(key, 60_000, async () => 'before')).toBe('before');
    mine.keys.length = 0;
    process.kill(server.pid, 'SIGSTOP');
    try {
      await expect
        .poll(() => mine.health.some((event) => event.reason === 'liveness'), { timeout: 5_000 })
        .toBe(true);
      expect(mine.keys).toContain(null);
      await expect.poll(() => mine.metrics.downs.length, { timeout: 5_000 }).toBeGreaterThan(0);
      await expect(mine.cache.get(key, 60_000, async () => 'during')).rejects.toBeInstanceOf(
        RedisUnavailableError,
      );
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    await expect.poll(() => mine.metrics.ups, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await mine.cache.get(key, 60_000, async () => 'after')).toBe('before');
    await other.cache.forceSet(key, 60_000, 'changed');
    await expect.poll(() => mine.cache.get(key, 60_000, async () => 'reload')).toBe('changed');
  });
});

describe('a killed and restarted server', () => {
  it('opens the breaker, serves fail-safe fallbacks meanwhile, and reads what the new server holds once it is back', async () => {
    let server = await startRedisServer();
    const port = server.port;
    try {
      const mine = open(server.url, { failSafe: { maxStaleMs: 60_000 }, commandTimeoutMs: 300 });
      expect(await mine.cache.get('restart:warm', 60_000, async () => 'warm')).toBe('warm');
      process.kill(server.pid, 'SIGKILL');
      await expect.poll(() => mine.metrics.downs.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(await mine.cache.get('restart:warm', 60_000, async () => 'loaded while down')).toBe('warm');
      await server.stop();
      server = await startRedisServerOn(port);
      await expect.poll(() => mine.metrics.ups, { timeout: 10_000 }).toBeGreaterThan(0);
      // The new server is empty: the fallback is not served as fresh, the key loads again.
      await expect
        .poll(() => mine.cache.get('restart:warm', 60_000, async () => 'reloaded'), { timeout: 5_000 })
        .toBe('reloaded');
      const other = open(server.url);
      await other.cache.forceSet('restart:warm', 60_000, 'changed');
      await expect.poll(() => mine.cache.get('restart:warm', 60_000, async () => 'x')).toBe('changed');
    } finally {
      await server.stop();
    }
  });
});

describe('closing', () => {
  it('ends both pair connections and the client connect made, with no reconnect left', async () => {
    const server = await startRedisServer();
    try {
      const mine = open(server.url);
      expect(await mine.cache.get('close:k', 60_000, async () => 'v')).toBe('v');
      await mine.conn.close();
      const { data, subscriber } = mine.driver.connections;
      await expect
        .poll(() => [data.status, subscriber.status, mine.driver.client.status])
        .toEqual(['end', 'end', 'end']);
    } finally {
      await server.stop();
    }
  });
});
