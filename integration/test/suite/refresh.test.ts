import { newStringCache, type Options, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { settleWithin } from '../../src/settle-within.js';

const target = inject('redisTarget');
const prefix = keyPrefix('refresh');
const k = (name: string) => `${prefix}${name}`;
const opened: TestConn[] = [];

/**
 * The ttl of every value here, and when it is due for refresh: after DUE_MS of it has passed
 * (refreshAfterFraction DUE_MS / TTL). A test waits DUE_MS + a little for a value to be due —
 * time passing is what makes it due — and then has the rest of TTL, seconds, before the value
 * expires: a slow machine cannot push a hit past the expiry.
 */
const TTL = 10_000;
const DUE_MS = 500;
/** A sleep: time passing is what makes a value due; no event says so. */
const untilDue = () => sleep(DUE_MS + 100);
/** close()'s own bound (1 s to drain, then node-redis's 5 s close grace), with room to spare. */
const CLOSE_BOUND_MS = 10_000;
/**
 * How long a test watches for something that must not happen. A refresh that went on would
 * send its write within a few event-loop turns of its loader returning: far less than this.
 */
const QUIET_MS = 300;

/** A connection with refresh-ahead on: a hit DUE_MS after the write refreshes (deterministically). */
async function refreshing(options: Options = {}) {
  const metrics = new CountingMetrics();
  const t = await openConn(target, {
    refreshAfterFraction: DUE_MS / TTL,
    refreshBeta: 0,
    metrics,
    ...options,
  });
  opened.push(t);
  return { t, metrics, cache: newStringCache(t.conn, StringCodec) };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.conn.close()));
});

/** The refresh lock of `key` (default refreshLockPrefix): it exists from before the loader runs until the refresh ended. */
const refreshLockOf = (key: string) => `__redcache:refresh:{${key}}`;

/** Resolves once the refresh of `key`, whose loader has started, has ended (its refresh lock is gone). */
const refreshEnded = (t: TestConn, key: string) =>
  pollUntil(`the refresh of ${key} ends`, async () => (await t.client.exists(refreshLockOf(key))) === 0);

/** Resolves once the value of `key` in Redis ends with `:<payload>`. */
const written = (t: TestConn, key: string, payload: string) =>
  pollUntil(
    `${key} is written ${payload}`,
    async () => (await t.client.get(key))?.endsWith(`:${payload}`) ?? false,
  );

describe('refresh-ahead', () => {
  it('a hit below the floor returns the cached value at once and refreshes it everywhere in the background', async () => {
    const { t, cache, metrics } = await refreshing();
    const other = await refreshing();
    const key = k('basic');
    expect(await cache.get(key, TTL, async () => 'v1')).toBe('v1');
    expect(await other.cache.get(key, TTL, async () => 'other')).toBe('v1');
    await untilDue();
    // The refresh loader returns only when the test says: the hit settles while it is held,
    // so it does not wait for its refresh (it would wait until the refresh timeout, the ttl).
    const refresh = heldLoader(() => 'v2');
    expect(await settleWithin('the hit', TTL / 2, cache.get(key, TTL, refresh.load))).toBe('v1');
    expect(metrics.count('refreshTriggered')).toBe(1);
    await refresh.started;
    refresh.finish();
    await written(t, key, 'v2');
    expect(await cache.get(key, TTL, async () => 'must-not-load')).toBe('v2');
    // The other connection hears of the write by its own push, which may land a moment later.
    await pollUntil(
      'the other connection reads v2',
      async () => (await other.cache.get(key, TTL, async () => 'other')) === 'v2',
    );
    expect(refresh.calls).toBe(1);
  });

  it('a full queue drops the job (refreshDropped); the value keeps being served', async () => {
    const { cache, metrics } = await refreshing({ refreshWorkers: 1, refreshQueueSize: 1 });
    const keys = [k('q1'), k('q2'), k('q3')];
    for (const key of keys) await cache.get(key, TTL, async () => 'stale');
    await untilDue();
    // Held: the one worker stays busy with the first job however long the hits take.
    const refresh = heldLoader(() => 'fresh');
    for (const key of keys) expect(await cache.get(key, TTL, refresh.load)).toBe('stale');
    expect(metrics.count('refreshTriggered')).toBe(2);
    expect(metrics.count('refreshDropped')).toBe(1);
    refresh.finish();
  });

  it('never overwrites a newer write, a lock, or recreates a deleted key', async () => {
    const { t, cache } = await refreshing();
    const key = { forced: k('w-forced'), locked: k('w-locked'), deleted: k('w-deleted') };
    for (const x of Object.values(key)) await cache.get(x, TTL, async () => 'old');
    await untilDue();
    const refresh = heldLoader(() => 'refreshed');
    for (const x of Object.values(key)) expect(await cache.get(x, TTL, refresh.load)).toBe('old');
    // While the three refresh loaders run, another writer changes each key.
    await pollUntil('the three refresh loaders run', () => refresh.calls === 3);
    await cache.forceSet(key.forced, 60_000, 'forced');
    await t.client.set(key.locked, '__redcache:lock:other:1', { PX: 60_000 });
    await cache.del(key.deleted);
    refresh.finish();
    for (const x of Object.values(key)) await refreshEnded(t, x);
    expect(await t.client.get(key.forced)).toBe('__redcache:v1:0:forced');
    expect(await t.client.get(key.locked)).toBe('__redcache:lock:other:1');
    expect(await t.client.exists(key.deleted)).toBe(0);
  });

  it('a rejecting loader counts refreshError, a throwing one refreshPanicked; the old value stays, workers go on', async () => {
    const { t, cache, metrics } = await refreshing({ refreshWorkers: 1 });
    const rejecting = k('e-reject');
    const throwing = k('e-throw');
    const healthy = k('e-ok');
    for (const x of [rejecting, throwing, healthy]) await cache.get(x, TTL, async () => 'old');
    await untilDue();
    await cache.get(rejecting, TTL, async () => {
      throw new Error('origin down');
    });
    await cache.get(throwing, TTL, (() => {
      throw new Error('bug');
    }) as unknown as () => Promise<string>);
    await cache.get(healthy, TTL, async () => 'new');
    // One worker, jobs in order: once the healthy one is written, the other two have run.
    await written(t, healthy, 'new');
    expect(metrics.keys.refreshError).toEqual([rejecting]);
    expect(metrics.keys.refreshPanicked).toEqual([throwing]);
    expect(await t.client.get(rejecting)).toMatch(/:old$/);
    expect(await t.client.get(throwing)).toMatch(/:old$/);
  });

  it('a refresh slower than lockTTL but within refreshTimeoutMs is written; no second refresh starts meanwhile', async () => {
    const LOCK_TTL = 200;
    const options = { lockTTLMs: LOCK_TTL, refreshTimeoutMs: TTL };
    const one = await refreshing(options);
    const two = await refreshing(options);
    const key = k('slow');
    await one.cache.get(key, TTL, async () => 'old');
    expect(await two.cache.get(key, TTL, async () => 'x')).toBe('old');
    await untilDue();
    const slow = heldLoader(() => 'slow-new');
    expect(await one.cache.get(key, TTL, slow.load)).toBe('old');
    await slow.started;
    // What is under test: the refresh has run for longer than lockTTL (it is held, so it still
    // runs). A sleep: time passing is the property.
    await sleep(2 * LOCK_TTL);
    expect(await one.t.client.exists(refreshLockOf(key))).toBe(1);
    expect(await two.cache.get(key, TTL, slow.load)).toBe('old');
    // Two's refresh finds the refresh lock still held and skips; had it taken it, it would call the loader.
    await two.metrics.reached('refreshSkipped');
    expect(slow.calls).toBe(1);
    slow.finish();
    await written(one.t, key, 'slow-new');
    expect(slow.calls).toBe(1);
    expect(two.metrics.count('refreshSkipped')).toBe(1);
    expect(one.metrics.keys.refreshError).toBeUndefined();
  });

  it('getMulti triggers one job with one loader call for its stale keys', async () => {
    const { t, cache } = await refreshing();
    const keys = [k('m1'), k('m2'), k('m3')];
    await cache.getMulti(keys, TTL, async (ks) => new Map(ks.map((x) => [x, 'old'])));
    await untilDue();
    const calls: string[][] = [];
    const result = await cache.getMulti(keys, TTL, async (ks) => {
      calls.push([...ks]);
      return new Map(ks.map((x) => [x, 'new']));
    });
    expect([...result.values()]).toEqual(['old', 'old', 'old']);
    await written(t, keys[2]!, 'new');
    expect(calls.length).toBe(1);
    expect([...calls[0]!].sort()).toEqual([...keys].sort());
  });

  it('close() during refreshes: queued jobs dropped, loader signals aborted, nothing runs after it resolves', async () => {
    const options = { refreshWorkers: 1, refreshQueueSize: 4 };
    const { t, cache, metrics } = await refreshing(options);
    const keys = [k('c1'), k('c2'), k('c3')];
    for (const key of keys) await cache.get(key, TTL, async () => 'old');
    await untilDue();
    // The loader ignores its signal: it returns only once the test lets it, after close().
    const stubborn = heldLoader(() => 'never-written');
    for (const key of keys) await cache.get(key, TTL, stubborn.load);
    await stubborn.started;
    await settleWithin('close() while a loader ignores its signal', CLOSE_BOUND_MS, t.conn.close());
    expect(stubborn.signals).toHaveLength(1);
    expect(stubborn.signals[0]!.aborted).toBe(true);
    expect(metrics.count('refreshDropped')).toBe(2);
    // The loader returns now. Had the refresh gone on, it would write within a round trip.
    const sent = t.driver.sent.length;
    stubborn.finish();
    // A sleep: it proves an absence (no command), for which there is no event to wait on.
    await sleep(QUIET_MS);
    expect(t.driver.sent.length).toBe(sent);
    const observer = await openConn(target);
    opened.push(observer);
    for (const key of keys) expect(await observer.client.get(key)).toMatch(/:old$/);
  });
});
