import { type LoaderContext, newStringCache, StringCodec } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';

const target = inject('redisTarget');
const prefix = keyPrefix('loader-choices-refresh');
const k = (name: string) => `${prefix}${name}`;
/** The call's ttl, and when a value is due for refresh (refreshAfterFraction DUE_MS / TTL). */
const TTL = 10_000;
const DUE_MS = 500;
/** A sleep: time passing is what makes a value due; no event says so. */
const untilDue = () => sleep(DUE_MS + 100);
const refreshLockOf = (key: string) => `__redcache:refresh:{${key}}`;

let t: TestConn;
const metrics = new CountingMetrics();
beforeAll(async () => {
  t = await openConn(target, { refreshAfterFraction: DUE_MS / TTL, refreshBeta: 0, metrics });
});
afterAll(async () => {
  await t.conn.close();
});

/** Stores `key` as v1, waits until it is due, and hits it with `refresh` as the loader. */
async function refreshWith(
  key: string,
  refresh: (key: string, ctx: LoaderContext<string>) => Promise<string>,
) {
  const cache = newStringCache(t.conn, StringCodec);
  await cache.get(key, TTL, async () => 'v1');
  await untilDue();
  const triggered = metrics.count('refreshTriggered');
  let ran!: () => void;
  const loaded = new Promise<void>((resolve) => {
    ran = resolve;
  });
  expect(
    await cache.get(key, TTL, async (key, ctx) => {
      try {
        return await refresh(key, ctx);
      } finally {
        ran();
      }
    }),
  ).toBe('v1');
  expect(metrics.count('refreshTriggered')).toBe(triggered + 1);
  await loaded;
  await pollUntil(
    `the refresh of ${key} ends`,
    async () => (await t.client.exists(refreshLockOf(key))) === 0,
  );
}

describe("refresh-ahead's write-back follows the loader's choices", () => {
  it('setTtl: the refreshed value is written back with the ttl the loader chose', async () => {
    const key = k('ttl');
    await refreshWith(key, async (_key, ctx) => {
      ctx.setTtl('1s');
      return 'v2';
    });
    expect(await t.client.get(key)).toMatch(/:v2$/);
    const pttl = await t.client.pTTL(key);
    expect(pttl > 0 && pttl <= 1000).toBe(true);
  });

  it('skipStore: nothing is written back; the value seen stays', async () => {
    const key = k('skip');
    await refreshWith(key, async (_key, { skipStore }) => {
      skipStore();
      return 'v2';
    });
    expect(await t.client.get(key)).toMatch(/:v1$/);
    expect(metrics.count('refreshError')).toBe(0);
  });
});
