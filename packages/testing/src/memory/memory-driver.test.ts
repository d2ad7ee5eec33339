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
