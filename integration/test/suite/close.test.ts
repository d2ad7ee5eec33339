import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ClosedError, newStringCache, StringCodec } from '@redcache/core';
import { describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, sleep } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('close');

describe('close', () => {
  it('rejects pending waits promptly with ClosedError, then every later call; twice is fine', async () => {
    const holder = await openConn(target);
    const waiter = await openConn(target);
    const key = `${prefix}pending`;
    const holderCache = newStringCache(holder.conn, StringCodec);
    const waiterCache = newStringCache(waiter.conn, StringCodec);
    const held = holderCache.get(key, 60_000, async () => {
      await sleep(400);
      return 'held';
    });
    await sleep(40);
    let loaderSignal: AbortSignal | undefined;
    const waiting = waiterCache.get(key, 60_000, async (_k, ctx) => {
      loaderSignal = ctx.signal;
      return 'never';
    });
    await sleep(40);
    const started = performance.now();
    const outcome = waiting.catch((e: unknown) => e);
    await Promise.all([waiter.conn.close(), waiter.conn.close()]);
    expect(await outcome).toBeInstanceOf(ClosedError);
    expect(performance.now() - started).toBeLessThan(200);
    expect(loaderSignal).toBeUndefined();
    await expect(waiterCache.get(key, 60_000, async () => 'x')).rejects.toBeInstanceOf(ClosedError);
    await expect(waiterCache.peek(key, 60_000)).rejects.toBeInstanceOf(ClosedError);
    await expect(waiterCache.getMulti([key], 60_000, async () => new Map())).rejects.toBeInstanceOf(
      ClosedError,
    );
    expect(await held).toBe('held');
    await holder.conn.close();
  });

  it('aborts a running loader, releases its lock and rejects its callers with ClosedError', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const t = await openConn(target, { lockTTLMs: 300, logger });
    const key = `${prefix}loading`;
    const cache = newStringCache(t.conn, StringCodec);
    let loaderSignal: AbortSignal | undefined;
    const loading = cache.get(key, 60_000, (_k, ctx) => {
      loaderSignal = ctx.signal;
      return new Promise<string>(() => {});
    });
    await sleep(40);
    const observer = await openConn(target);
    expect(String(await observer.client.get(key))).toMatch(/^__redcache:lock:/);
    const outcome = loading.catch((e: unknown) => e);
    await t.conn.close();
    expect(await outcome).toBeInstanceOf(ClosedError);
    expect(loaderSignal?.aborted).toBe(true);
    expect(await observer.client.get(key)).toBeNull();
    // The loader never returns, yet nothing of this connection runs any more (no lock renewal).
    const sent = t.driver.sent.length;
    await sleep(400);
    expect(t.driver.sent.length).toBe(sent);
    expect(warnings).toEqual([]);
    await observer.conn.close();
  });

  it('no timer or socket keeps the process alive after close, with loads and waits pending', async () => {
    const child = fileURLToPath(new URL('../../src/close-exit-child.ts', import.meta.url));
    const started = performance.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', child, target, `${prefix}exit:`],
      {
        timeout: 15_000,
      },
    );
    expect(stdout.trim()).toBe('ClosedError,ClosedError');
    expect(performance.now() - started).toBeLessThan(15_000);
    const observer = await openConn(target);
    expect(await observer.client.get(`${prefix}exit:loading`)).toBeNull();
    await observer.client.del(`${prefix}exit:foreign`);
    await observer.conn.close();
  });
});
