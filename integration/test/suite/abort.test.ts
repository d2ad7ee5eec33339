import { newStringCache, StringCodec } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { settleWithin } from '../../src/settle-within.js';

const target = inject('redisTarget');
const prefix = keyPrefix('abort');
/** The default lockTTL: a lock left behind would block its key for this long. */
const LOCK_TTL_MS = 10_000;
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
    const loader = heldLoader(() => 'value');
    const controller = new AbortController();
    const aborted = cache.get(key, 60_000, loader.load, { signal: controller.signal });
    const others = [cache.get(key, 60_000, loader.load), cache.get(key, 60_000, loader.load)];
    await loader.started;
    const reason = new Error('caller gave up');
    controller.abort(reason);
    // "At once": it rejects while the load is still held, so it does not wait for the load.
    await expect(settleWithin('the aborted call', LOCK_TTL_MS / 2, aborted)).rejects.toBe(reason);
    expect(loader.signals[0]?.aborted).toBe(false);
    loader.finish();
    expect(await Promise.all(others)).toEqual(['value', 'value']);
    expect(loader.calls).toBe(1);
    expect(loader.signals[0]?.aborted).toBe(false);
  });

  it("aborts the loader's signal once no caller waits, and releases the lock", async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}all`;
    let loaderSignal: AbortSignal | undefined;
    let entered!: () => void;
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const loader = (_k: string, ctx: { signal: AbortSignal }) => {
      loaderSignal = ctx.signal;
      entered();
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
    await started;
    expect(String(await t.client.get(key))).toMatch(/^__redcache:lock:/);
    a.abort();
    await expect(calls[0]).rejects.toThrow();
    expect(loaderSignal?.aborted).toBe(false);
    b.abort();
    await expect(calls[1]).rejects.toThrow();
    expect(loaderSignal?.aborted).toBe(true);
    // Released, not left to expire: gone well before lockTTL.
    await pollUntil('the lock is released', async () => (await t.client.get(key)) === null, {
      timeoutMs: LOCK_TTL_MS / 2,
    });
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
