import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ClosedError, newStringCache, StringCodec } from '@redcache/core';
import { extendLockScript } from '@redcache/core/wire';
import { describe, expect, inject, it } from 'vitest';
import type { CountingDriver } from '../../src/counting-driver.js';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, sleep } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { settleWithin } from '../../src/settle-within.js';

const target = inject('redisTarget');
const prefix = keyPrefix('close');
/** The default lockTTL: how long a waiter would wait for a holder that never writes. */
const LOCK_TTL_MS = 10_000;

/** Lock renewals (`extendLock` calls) the driver has sent. */
const renewals = (driver: CountingDriver) =>
  driver.sent.filter((c) => c.args[1] === extendLockScript.sha1 || c.args[1] === extendLockScript.source)
    .length;

describe('close', () => {
  it('rejects pending waits promptly with ClosedError, then every later call; twice is fine', async () => {
    const holder = await openConn(target);
    const metrics = new CountingMetrics();
    const waiter = await openConn(target, { metrics });
    const key = `${prefix}pending`;
    const holderCache = newStringCache(holder.conn, StringCodec);
    const waiterCache = newStringCache(waiter.conn, StringCodec);
    const holding = heldLoader(() => 'held');
    const held = holderCache.get(key, 60_000, holding.load);
    await holding.started;
    let loaderSignal: AbortSignal | undefined;
    const waiting = waiterCache.get(key, 60_000, async (_k, ctx) => {
      loaderSignal = ctx.signal;
      return 'never';
    });
    await metrics.reached('lockContended');
    const outcome = waiting.catch((e: unknown) => e);
    // "Promptly": the holder's load is held and its lock lasts lockTTL, so a wait that ended
    // by itself would take at least that long; close() ends it well before.
    await settleWithin(
      'close() and the pending wait',
      LOCK_TTL_MS / 2,
      Promise.all([waiter.conn.close(), waiter.conn.close(), outcome]),
    );
    expect(await outcome).toBeInstanceOf(ClosedError);
    expect(loaderSignal).toBeUndefined();
    await expect(waiterCache.get(key, 60_000, async () => 'x')).rejects.toBeInstanceOf(ClosedError);
    await expect(waiterCache.peek(key, 60_000)).rejects.toBeInstanceOf(ClosedError);
    await expect(waiterCache.getMulti([key], 60_000, async () => new Map())).rejects.toBeInstanceOf(
      ClosedError,
    );
    holding.finish();
    expect(await held).toBe('held');
    await holder.conn.close();
  });

  it('aborts a running loader, releases its lock and rejects its callers with ClosedError', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const LOCK_TTL = 300;
    const t = await openConn(target, { lockTTLMs: LOCK_TTL, logger });
    const key = `${prefix}loading`;
    const cache = newStringCache(t.conn, StringCodec);
    // The loader never returns.
    const never = heldLoader(() => 'never');
    const loading = cache.get(key, 60_000, never.load);
    await never.started;
    const observer = await openConn(target);
    expect(String(await observer.client.get(key))).toMatch(/^__redcache:lock:/);
    // The lock is renewed while the loader runs (every lockTTL / 3)...
    await pollUntil('the lock is renewed', () => renewals(t.driver) >= 1);
    const outcome = loading.catch((e: unknown) => e);
    await t.conn.close();
    expect(await outcome).toBeInstanceOf(ClosedError);
    expect(never.signals[0]?.aborted).toBe(true);
    expect(await observer.client.get(key)).toBeNull();
    // ...and after close nothing of this connection runs any more: no renewal, no command at
    // all, for longer than lockTTL (three renewals' worth), although the loader still runs. A
    // sleep: it proves an absence, for which there is no event to wait on.
    const sent = t.driver.sent.length;
    await sleep(LOCK_TTL + 100);
    expect(t.driver.sent.length).toBe(sent);
    expect(warnings).toEqual([]);
    await observer.conn.close();
  });

  it('no timer or socket keeps the process alive after close, with loads and waits pending', async () => {
    const child = fileURLToPath(new URL('../../src/close-exit-child.ts', import.meta.url));
    // The child must exit by itself: a handle left open would keep it alive until this kills it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', child, target, `${prefix}exit:`],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('ClosedError,ClosedError');
    const observer = await openConn(target);
    expect(await observer.client.get(`${prefix}exit:loading`)).toBeNull();
    await observer.client.del(`${prefix}exit:foreign`);
    await observer.conn.close();
  });
});
