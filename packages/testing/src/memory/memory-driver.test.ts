import { Conn, newStringCache, StringCodec } from '@redcache/core';
import { isRedisDown } from '@redcache/core/internal';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRedis } from './memory-redis.js';

const text = (reply: unknown) => (reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply);
const get = (key: string) => ({ key, args: ['GET', key] });
const set = (key: string, value: string) => ({ key, args: ['SET', key, value] });

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryDriver: delivery order', () => {
  it("delivers the pushes a pipeline caused before its reply, and a later push after the caller's continuation", async () => {
    const server = createMemoryRedis();
    const a = server.connect();
    const b = server.connect();
    const log: string[] = [];
    await a.send([get('x'), get('y')]);
    a.onInvalidate((key) => {
      log.push(`push ${key}`);
      // Another process writes y while this chunk is being handled: its push comes in a later chunk.
      if (key === 'x') void b.send([set('y', '2')]);
    });
    await a.send([set('x', '1')]).then(() => log.push('reply'));
    await a.send([get('probe')]);
    expect(log).toEqual(['push x', 'reply', 'push y']);
  });

  it('pause() holds everything back; resume() hands it over as one chunk, as a busy process reads it', async () => {
    const server = createMemoryRedis();
    const a = server.connect();
    const b = server.connect();
    const log: string[] = [];
    a.onInvalidate((key) => log.push(`push ${key}`));
    await a.send([get('x'), get('y')]);
    a.pause();
    const written = a.send([set('x', '1')]).then(() => log.push('reply'));
    await b.send([set('y', '2')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    a.resume();
    await written;
    expect(log).toEqual(['push x', 'push y', 'reply']);
  });

  it('records every pipeline in `sent`, failed ones too', async () => {
    const driver = createMemoryRedis().connect();
    await driver.send([get('a'), get('b')]);
    driver.failNext();
    await expect(driver.send([get('c')])).rejects.toThrow(/connection failure/);
    expect(driver.sent.map((pipeline) => pipeline.map((c) => c.key))).toEqual([['a', 'b'], ['c']]);
  });
});

describe('MemoryDriver: faults', () => {
  it('failNext(n, error) rejects the next n sends without running them, then works again', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    const boom = new Error('boom');
    driver.failNext(2, boom);
    await expect(driver.send([set('k', '1')])).rejects.toBe(boom);
    await expect(driver.send([set('k', '2')])).rejects.toBe(boom);
    expect(server.peek('k')).toBeUndefined();
    expect(await driver.send([set('k', '3')])).toEqual(['OK']);
  });

  it('latency(ms) delays replies and keeps their order', async () => {
    vi.useFakeTimers();
    const driver = createMemoryRedis().connect();
    driver.latency(50);
    const done: string[] = [];
    const first = driver.send([set('k', 'first')]).then(() => done.push('first'));
    driver.latency(0);
    const second = driver.send([get('k')]).then((replies) => done.push(`second ${text(replies[0])}`));
    await vi.advanceTimersByTimeAsync(49);
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(done).toEqual(['first', 'second first']);
  });

  it('dropConnection: null first, then every send in flight rejects; tracking is forgotten; sends work again', async () => {
    vi.useFakeTimers();
    const server = createMemoryRedis();
    const driver = server.connect();
    const events: string[] = [];
    driver.onInvalidate((key) => events.push(`push ${key}`));
    await driver.send([get('k')]);
    expect(driver.isTracking('k')).toBe(true);
    driver.latency(100);
    const inFlight = driver.send([set('k', 'lost')]).catch((error: Error) => events.push(error.message));
    driver.dropConnection();
    await inFlight;
    expect(events).toEqual(['push null', 'memory driver: connection lost (dropConnection)']);
    expect(driver.isTracking('k')).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.peek('k')).toBeUndefined();
    driver.latency(0);
    expect(await driver.send([set('k', 'v')])).toEqual(['OK']);
  });

  it('close: idempotent; delivers replies already produced; rejects sends not yet run and every later one', async () => {
    vi.useFakeTimers();
    const driver = createMemoryRedis().connect();
    const produced = driver.send([set('k', 'v')]);
    driver.latency(10);
    const delayed = driver.send([get('k')]);
    const closing = driver.close();
    expect(driver.close()).toBe(closing);
    await expect(produced).resolves.toEqual(['OK']);
    await expect(delayed).rejects.toThrow(/closed/);
    await closing;
    await expect(driver.send([get('k')])).rejects.toThrow(/closed/);
    expect(driver.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
  });

  it('close() while paused still hands over the replies already produced', async () => {
    const driver = createMemoryRedis().connect();
    driver.pause();
    const reply = driver.send([set('k', 'v')]);
    await driver.close();
    await expect(reply).resolves.toEqual(['OK']);
  });

  it('a throwing listener does not stop the others; it becomes a process warning', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const seen: Array<string | null> = [];
    driver.onInvalidate(() => {
      throw new Error('listener failed');
    });
    driver.onInvalidate((key) => seen.push(key));
    await driver.send([get('k')]);
    server.write('k', 'changed');
    await driver.send([get('probe')]);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(seen).toEqual(['k']);
    expect(warnings).toContain('listener failed');
  });
});

describe('MemoryDriver: down() and up()', () => {
  it('down: health false, then null; sends in flight reject; the server forgets the tracking', async () => {
    vi.useFakeTimers();
    const server = createMemoryRedis();
    const driver = server.connect();
    const events: string[] = [];
    driver.onHealth((event) => events.push(`health ${event.healthy} ${event.reason}`));
    driver.onInvalidate((key) => events.push(`push ${key}`));
    await driver.send([get('k')]);
    expect(driver.isTracking('k')).toBe(true);
    driver.latency(100);
    const inFlight = driver.send([set('k', 'lost')]).catch((error: Error) => events.push(error.message));
    driver.down();
    driver.down();
    await inFlight;
    expect(events).toEqual([
      'health false connection',
      'push null',
      'memory driver: connection lost (down())',
    ]);
    expect(driver.isDown).toBe(true);
    expect(driver.isTracking('k')).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.peek('k')).toBeUndefined();
  });

  it('while down every send rejects at once as a refused connection, without reaching the server; pushes do not arrive', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    const other = server.connect();
    const pushes: Array<string | null> = [];
    driver.onInvalidate((key) => pushes.push(key));
    await other.send([set('k', 'kept')]);
    driver.down();
    await new Promise((resolve) => setImmediate(resolve));
    pushes.length = 0;
    const error = (await driver.send([set('k', 'refused')]).catch((e: unknown) => e)) as Error & {
      code?: string;
    };
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.code).toBe('ECONNREFUSED');
    await expect(driver.send([get('k')])).rejects.toThrow(/ECONNREFUSED/);
    expect(driver.sent.at(-1)).toEqual([get('k')]);
    server.flushAll();
    await other.send([get('probe')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pushes).toEqual([]);
    expect(text((await other.send([get('k')]))[0])).toBe(null);
  });

  it('up: health true; sends reach the server again on a connection that tracks nothing yet', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    const other = server.connect();
    const events: string[] = [];
    driver.onHealth((event) => events.push(`health ${event.healthy}`));
    await other.send([set('k', 'v')]);
    await driver.send([get('k')]);
    driver.down();
    driver.up();
    driver.up();
    expect(driver.isDown).toBe(false);
    expect(driver.isTracking('k')).toBe(false);
    expect((await driver.send([get('k')])).map(text)).toEqual(['v']);
    expect(driver.isTracking('k')).toBe(true);
    expect(events).toEqual(['health false', 'health true']);
  });

  it('a health listener that unsubscribed hears nothing', async () => {
    const driver = createMemoryRedis().connect();
    const heard: boolean[] = [];
    const unsubscribe = driver.onHealth((event) => heard.push(event.healthy));
    unsubscribe();
    driver.down();
    driver.up();
    await driver.send([get('probe')]);
    expect(heard).toEqual([]);
  });
});

describe('MemoryDriver: the engine over a server that is down', () => {
  it('a get that needs Redis fails with an error core takes for Redis down; after up() it loads again', async () => {
    const driver = createMemoryRedis().connect();
    const conn = Conn.open(driver);
    const cache = newStringCache(conn, StringCodec);
    try {
      driver.down();
      const error = await cache.get('cold', 60_000, async () => 'v').catch((e: unknown) => e);
      expect(isRedisDown(error)).toBe(true);
      expect((error as Error).message).toContain('cold');
      driver.up();
      await vi.waitFor(async () => expect(await cache.get('cold', 60_000, async () => 'v')).toBe('v'));
    } finally {
      await conn.close();
    }
  });
});
