import { NoopMetrics, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';
import { settleWithin } from '../../src/settle-within.js';

/** The keys the read-or-lock scripts in `sent` declared (each missing one was locked by it). */
const readOrLockKeys = (sent: readonly { args: readonly unknown[] }[]) =>
  sent
    .filter((c) => c.args[1] === readOrLockScript.sha1 || c.args[1] === readOrLockScript.source)
    .flatMap((c) => c.args.slice(3, 3 + Number(c.args[2])));

const target = inject('redisTarget');
const prefix = keyPrefix('single-flight');
/** The default lockTTL: a lock left behind would block its key for this long. */
const LOCK_TTL_MS = 10_000;

class CountingMetrics extends NoopMetrics {
  lostCount = 0;
  contended = 0;
  loaderErrorCount = 0;
  override lockLost(): void {
    this.lostCount++;
  }
  override lockContended(n: number): void {
    this.contended += n;
  }
  override loaderErrors(n: number): void {
    this.loaderErrorCount += n;
  }
}

let t: TestConn;
const metrics = new CountingMetrics();
beforeAll(async () => {
  t = await openConn(target, { metrics });
});
afterAll(async () => {
  await t.conn.close();
});

describe('in-process single flight', () => {
  it('1,000 concurrent gets of one cold key: one loader call, one read-or-lock', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}cold`;
    let loads = 0;
    t.driver.reset();
    const values = await Promise.all(
      Array.from({ length: 1000 }, () =>
        cache.get(key, 60_000, async () => {
          loads++;
          await sleep(50);
          return 'loaded';
        }),
      ),
    );
    expect(new Set(values)).toEqual(new Set(['loaded']));
    expect(loads).toBe(1);
    expect(readOrLockKeys(t.driver.sent)).toEqual([key]);
  });

  it('a clean miss reports no lock lost and no contention', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const before = { lost: metrics.lostCount, contended: metrics.contended };
    await cache.get(`${prefix}clean`, 60_000, async () => 'v');
    expect(metrics.lostCount).toBe(before.lost);
    expect(metrics.contended).toBe(before.contended);
  });

  it('a loader error reaches the leader and its followers, releases the lock and counts loaderErrors', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}failing`;
    const failure = new Error('origin down');
    let calls = 0;
    const before = metrics.loaderErrorCount;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        cache.get(key, 60_000, async () => {
          calls++;
          await sleep(20);
          throw failure;
        }),
      ),
    );
    expect(calls).toBe(1);
    for (const r of results) expect(r).toEqual({ status: 'rejected', reason: failure });
    expect(metrics.loaderErrorCount).toBe(before + 1);
    expect(await t.client.get(key)).toBeNull();
    // Released, so the next get loads at once; a lock left behind would make it wait lockTTL.
    expect(
      await settleWithin(
        'the next get',
        LOCK_TTL_MS / 2,
        cache.get(key, 60_000, async () => 'recovered'),
      ),
    ).toBe('recovered');
  });

  it('a loader that throws synchronously is a loader error too', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}sync-throw`;
    const loader = (() => {
      throw new Error('sync boom');
    }) as unknown as () => Promise<string>;
    await expect(cache.get(key, 60_000, loader)).rejects.toThrow('sync boom');
    expect(await t.client.get(key)).toBeNull();
  });
});
