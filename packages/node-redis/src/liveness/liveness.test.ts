import { fileURLToPath } from 'node:url';
import type { RedisCommand } from '@redcache/core';
import { DEFAULT_LIVENESS_CHECK } from '@redcache/core/internal';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { createClient, type RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { info, plainClient, testPrefix, trackingClient, waitFor } from '../test-support/redis.js';
import { runChild } from '../test-support/run-child.js';

const prefix = testPrefix('liveness');
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const LIVENESS = { intervalMs: 200, timeoutMs: 200 };
const BOUND_MS = LIVENESS.intervalMs + LIVENESS.timeoutMs;
/** Timer and scheduling slack on a busy machine. */
const MARGIN_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

describe('the liveness check of a single client (own server)', () => {
  let server: RedisServer;
  let writer: RedisClientType;

  beforeAll(async () => {
    server = await startRedisServer();
    writer = await plainClient(server.url);
  });
  afterAll(async () => {
    await writer?.close();
    await server?.stop();
  });

  /** How many PINGs the server has run (every client's: only the driver's ping in these tests). */
  const pings = async () => {
    const stats = (await info(writer, 'commandstats')).get('cmdstat_ping') ?? 'calls=0';
    return Number(/calls=(\d+)/.exec(stats)?.[1]);
  };

  it('reports null within interval + timeout of the server freezing, on every check while frozen, and tracks again once it resumes', async () => {
    const driver = createNodeRedisDriver(await trackingClient(server.url), { livenessCheck: LIVENESS });
    const nulls: number[] = [];
    const keys: string[] = [];
    driver.onInvalidate((key) => (key === null ? nulls.push(Date.now()) : keys.push(key)));
    const key = `${prefix}frozen`;
    await writer.set(key, 'before');
    await driver.send([get(key)]);
    await sleep(LIVENESS.intervalMs); // a check or two pass
    expect(nulls).toEqual([]);
    const pingsBefore = await pings();

    const frozenAt = Date.now();
    process.kill(server.pid, 'SIGSTOP');
    try {
      await waitFor(() => nulls.length >= 4, 5_000);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    expect(nulls[0]! - frozenAt).toBeLessThanOrEqual(BOUND_MS + MARGIN_MS);
    // One report per check, not a burst: the checks while frozen send no PING of their own.
    for (let index = 1; index < nulls.length; index++) {
      expect(nulls[index]! - nulls[index - 1]!).toBeGreaterThanOrEqual(LIVENESS.intervalMs - 20);
    }
    // The one PING in flight (and maybe one sent after the resume): none queued behind it.
    expect((await pings()) - pingsBefore).toBeLessThanOrEqual(2);

    // Answered again: the reports stop, and a key read now is reported when it changes.
    await waitFor(async () => {
      const before = nulls.length;
      await sleep(BOUND_MS + 100);
      return nulls.length === before;
    });
    await driver.send([get(key)]);
    await writer.set(key, 'after');
    await waitFor(() => keys.includes(key));
    await driver.close();
  });

  it('livenessCheck: false sends no PING; a driver with one sends none after close()', async () => {
    const quiet = createNodeRedisDriver(await trackingClient(server.url), { livenessCheck: false });
    const before = await pings();
    await sleep(DEFAULT_LIVENESS_CHECK.intervalMs + 200); // longer than the default would wait
    expect(await pings()).toBe(before);
    await quiet.close();

    const pinging = createNodeRedisDriver(await trackingClient(server.url), {
      livenessCheck: { intervalMs: 20, timeoutMs: 200 },
    });
    await waitFor(async () => (await pings()) >= before + 3);
    await pinging.close();
    const afterClose = await pings();
    await sleep(200);
    expect(await pings()).toBe(afterClose);
  });

  it('counts an error reply as an answer: a user the ACL denies PING is not reported', async () => {
    const username = `no-ping-${process.pid}`;
    await writer.sendCommand(['ACL', 'SETUSER', username, 'on', 'nopass', '~*', '+@all', '-ping']);
    const client = await trackingClient(server.url, { username, password: 'unused' });
    const driver = createNodeRedisDriver(client, { livenessCheck: { intervalMs: 20, timeoutMs: 200 } });
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    await expect(client.ping()).rejects.toThrow(/NOPERM/);
    await sleep(300);
    expect(seen).toEqual([]);
    await driver.close();
    await writer.sendCommand(['ACL', 'DELUSER', username]);
  });

  it('pings a client only once it is ready, and reports nothing of its own before', async () => {
    const client = createClient({ url: server.url, emitInvalidate: true });
    client.on('error', () => {});
    const driver = createNodeRedisDriver(client, { livenessCheck: { intervalMs: 20, timeoutMs: 20 } });
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const before = await pings();
    await sleep(200);
    expect(seen).toEqual([]);
    expect(await pings()).toBe(before);
    await client.connect();
    await waitFor(async () => (await pings()) > before);
    await driver.close();
  });

  it('its timers never keep a process alive', async () => {
    // A child process pings through a driver it never closes, then lets go of the client's
    // socket; a second driver, over a client never connected, only waits for it to be ready.
    const script = `
      import { createClient } from '@redis/client';
      import { createNodeRedisDriver } from './src/create-node-redis-driver.ts';
      const options = { livenessCheck: { intervalMs: 20, timeoutMs: 20 } };
      const client = createClient({ url: ${JSON.stringify(server.url)}, emitInvalidate: true });
      await client.connect();
      createNodeRedisDriver(client, options);
      createNodeRedisDriver(createClient({ emitInvalidate: true }), options);
      await new Promise((resolve) => setTimeout(resolve, 200));
      client.unref();
      process.stdout.write('pinged\\n');`;
    const before = await pings();
    const { output, code } = await runChild(
      ['--import', 'tsx', '--input-type=module', '-e', script],
      packageDirectory,
    );
    expect(output).toBe('pinged\n');
    expect(code).toBe(0);
    expect(await pings()).toBeGreaterThan(before);
  }, 20_000);
});
