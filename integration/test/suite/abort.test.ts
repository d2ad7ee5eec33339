import { newStringCache, StringCodec } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('abort');
let t: TestConn;
beforeAll(async () => {
  t = await openConn(target);
});
afterAll(async () => {
  await t.conn.close();
});

describe('abort', () => {
  it("rejects only the aborted caller's promise, at once; the others get the value", async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}one`;
    let loaderSignal: AbortSignal | undefined;
    const loader = async (_k: string, ctx: { signal: AbortSignal }) => {
      loaderSignal = ctx.signal;
      await sleep(200);
      return 'value';
    };
    const controller = new AbortController();
    const aborted = cache.get(key, 60_000, loader, { signal: controller.signal });
    const others = [cache.get(key, 60_000, loader), cache.get(key, 60_000, loader)];
    await sleep(20);
    const reason = new Error('caller gave up');
    const started = performance.now();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(50);
    expect(await Promise.all(others)).toEqual(['value', 'value']);
    expect(loaderSignal?.aborted).toBe(false);
  });

  it("aborts the loader's signal once no caller waits, and releases the lock", async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}all`;
    let loaderSignal: AbortSignal | undefined;
    const loader = (_k: string, ctx: { signal: AbortSignal }) => {
      loaderSignal = ctx.signal;
      return new Promise<string>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      });
    };
    const a = new AbortController();
    const b = new AbortController();
    const calls = [
      cache.get(key, 60_000, loader, { signal: a.signal }),
      cache.get(key, 60_000, loader, { signal: b.signal }),
    ];
    await sleep(30);
    a.abort();
    await expect(calls[0]).rejects.toThrow();
    expect(loaderSignal?.aborted).toBe(false);
    b.abort();
    await expect(calls[1]).rejects.toThrow();
    expect(loaderSignal?.aborted).toBe(true);
    await sleep(30);
    expect(await t.client.get(key)).toBeNull();
    expect(await cache.get(key, 60_000, async () => 'fresh')).toBe('fresh');
  });

  it('an already aborted signal rejects before any I/O', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    t.driver.reset();
    await expect(
      cache.get(`${prefix}pre`, 60_000, async () => 'v', { signal: controller.signal }),
    ).rejects.toThrow('too late');
    expect(t.driver.sent).toHaveLength(0);
  });
});
