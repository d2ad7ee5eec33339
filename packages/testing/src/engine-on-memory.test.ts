import {
  ClosedError,
  Conn,
  type LogAttributes,
  type Logger,
  newStringCache,
  type Options,
  StringCodec,
} from '@redcache/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from './memory/memory-redis.js';

// The real engine, end to end, on the memory driver: no Redis, fake timers (so no poll or
// timeout can fire unless a test moves the clock).

/** Counts how the engine's waits ended ('redcache: wait ended' debug events). */
class WakeLog implements Logger {
  readonly wakes: string[] = [];
  debug(message: string, attributes?: LogAttributes): void {
    if (message === 'redcache: wait ended') this.wakes.push(String(attributes?.reason));
  }
  info(): void {}
  warn(): void {}
  error(): void {}
}

interface Process {
  readonly conn: Conn;
  readonly driver: ReturnType<MemoryRedis['connect']>;
  readonly log: WakeLog;
  readonly cache: ReturnType<typeof newStringCache<string>>;
}

const LOCK_TTL = 1_000;

function open(server: MemoryRedis, options: Options = {}): Process {
  const driver = server.connect();
  const log = new WakeLog();
  const conn = Conn.open(driver, { lockTTLMs: LOCK_TTL, logger: log, ...options });
  return { conn, driver, log, cache: newStringCache(conn, StringCodec) };
}

function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets replies and pushes flow (microtasks and ticks), without moving the fake clock. */
const flush = () => vi.advanceTimersByTimeAsync(0);

let server: MemoryRedis;
let opened: Process[];

beforeEach(() => {
  vi.useFakeTimers();
  server = createMemoryRedis();
  opened = [];
});
afterEach(async () => {
  await Promise.all(opened.map((p) => p.conn.close()));
  vi.useRealTimers();
});

const start = (options?: Options) => {
  const p = open(server, options);
  opened.push(p);
  return p;
};

describe('the engine on the memory driver', () => {
  it('serves a hit from the near cache without sending a command', async () => {
    const a = start();
    expect(await a.cache.get('k', 60_000, async () => 'v')).toBe('v');
    const sent = a.driver.sent.length;
    const loader = vi.fn(async () => 'other');
    expect(await a.cache.get('k', 60_000, loader)).toBe('v');
    expect(a.driver.sent.length).toBe(sent);
    expect(loader).not.toHaveBeenCalled();
  });

  it('100 concurrent gets of a cold key on two connections: one loader call; the waiter is woken by the push', async () => {
    const a = start();
    const b = start();
    const value = deferred<string>();
    const loader = vi.fn(() => value.promise);
    const gets = Array.from({ length: 100 }, (_, i) =>
      (i % 2 === 0 ? a : b).cache.get('cold', 60_000, loader),
    );
    await flush();
    expect(loader).toHaveBeenCalledTimes(1);
    value.resolve('loaded');
    expect(await Promise.all(gets)).toEqual(Array(100).fill('loaded'));
    expect(loader).toHaveBeenCalledTimes(1);
    const wakes = [...a.log.wakes, ...b.log.wakes];
    expect(wakes.length).toBeGreaterThan(0);
    expect(wakes.every((reason) => reason === 'invalidation')).toBe(true);
  });

  it('a loader error releases the lock at once: a waiter elsewhere takes over, without polling or timing out', async () => {
    const a = start();
    const b = start();
    const failure = deferred<string>();
    const failing = a.cache.get('k', 60_000, () => failure.promise);
    await flush();
    const takeover = vi.fn(async () => 'from b');
    const waiting = b.cache.get('k', 60_000, takeover);
    await flush();
    expect(takeover).not.toHaveBeenCalled();
    failure.reject(new Error('db down'));
    await expect(failing).rejects.toThrow('db down');
    expect(await waiting).toBe('from b');
    expect(takeover).toHaveBeenCalledTimes(1);
    expect(b.log.wakes.every((reason) => reason === 'invalidation')).toBe(true);
    expect(new TextDecoder().decode(server.peek('k'))).toBe('__redcache:v1:0:from b');
  });

  it("a write on one connection reaches the other's near cache", async () => {
    const a = start();
    const b = start();
    expect(await a.cache.get('k', 60_000, async () => 'v1')).toBe('v1');
    await b.cache.forceSet('k', 60_000, 'v2');
    await flush();
    const loader = vi.fn(async () => 'loaded');
    expect(await a.cache.get('k', 60_000, loader)).toBe('v2');
    await b.cache.del('k');
    await flush();
    expect(await a.cache.get('k', 60_000, loader)).toBe('loaded');
  });

  it('close() rejects pending calls with ClosedError, and releases the locks it holds', async () => {
    const a = start();
    const b = start();
    const holding = a.cache.get('k', 60_000, () => new Promise<string>(() => {}));
    await flush();
    const waiting = b.cache.get('k', 60_000, async () => 'b');
    await flush();
    await b.conn.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    expect(server.peek('k')).toBeDefined();
    await a.conn.close();
    await expect(holding).rejects.toBeInstanceOf(ClosedError);
    expect(server.peek('k')).toBeUndefined();
  });

  it('a holder that dies mid-load: its lock expires after lockTTL, and the expiry wakes the waiter', async () => {
    const a = start();
    const b = start();
    void a.cache.get('k', 60_000, () => new Promise<string>(() => {})).catch(() => {});
    await flush();
    a.driver.failNext(Number.POSITIVE_INFINITY);
    a.driver.dropConnection();
    await vi.advanceTimersByTimeAsync(300);
    const loader = vi.fn(async () => 'after expiry');
    const waiting = b.cache.get('k', 60_000, loader);
    await vi.advanceTimersByTimeAsync(LOCK_TTL - 300);
    expect(loader).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2);
    expect(await waiting).toBe('after expiry');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(b.log.wakes).not.toContain('timeout');
  });

  it('refresh-ahead: a stale hit is served, then refreshed in the background (refresh lock, refresh-set, unlock)', async () => {
    const a = start({ refreshAfterFraction: 0.5 });
    const loader = vi.fn(async () => `v${loader.mock.calls.length}`);
    expect(await a.cache.get('k', 1_000, loader)).toBe('v1');
    await vi.advanceTimersByTimeAsync(600);
    expect(await a.cache.get('k', 1_000, loader)).toBe('v1');
    await flush();
    expect(loader).toHaveBeenCalledTimes(2);
    expect(new TextDecoder().decode(server.peek('k'))).toMatch(/^__redcache:v1:\d+:v2$/);
    expect(server.pttl('k')).toBe(1_000);
    expect(server.keys()).toEqual(['k']);
    expect(await a.cache.get('k', 1_000, loader)).toBe('v2');
  });

  it('getMulti on a cluster: one loader call, reads grouped by slot (no CROSSSLOT)', async () => {
    server = createMemoryRedis({ cluster: true });
    const a = start();
    const keys = ['user:1', 'user:2', '{t}a', '{t}b', 'other'];
    const loader = vi.fn(async (wanted: string[]) => new Map(wanted.map((k) => [k, k.toUpperCase()])));
    const values = await a.cache.getMulti(keys, 60_000, loader);
    expect([...values.values()]).toEqual(keys.map((k) => k.toUpperCase()));
    expect(loader).toHaveBeenCalledTimes(1);
    const reads = a.driver.sent.flat().filter((c) => c.args[0] === 'EVAL' || c.args[0] === 'EVALSHA');
    expect(
      reads.every(
        (c) =>
          new Set(c.args.slice(3, 3 + Number(c.args[2])).map((k) => a.driver.slotOf(String(k)))).size === 1,
      ),
    ).toBe(true);
  });

  // When another process's write reaches us in the same chunk as our CAS reply (this process
  // was busy), the value we wrote is already stale: it must not be kept (a second push for the
  // key while our write was in flight means someone else wrote after us).
  it('a write that crosses our CAS reply evicts the value we wrote', async () => {
    const a = start();
    const b = start();
    const value = deferred<string>();
    const loading = a.cache.get('k', 60_000, () => value.promise);
    await flush();
    a.driver.pause();
    value.resolve('loaded');
    await flush();
    await b.cache.forceSet('k', 60_000, 'forced');
    a.driver.resume();
    expect(await loading).toBe('loaded');
    expect(await a.cache.get('k', 60_000, async () => 'reloaded')).toBe('forced');
  });
});
