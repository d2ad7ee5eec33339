import {
  CALL_CHANNELS,
  type CallEvent,
  Conn,
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  newStringCache,
  REFRESH_CHANNEL,
  StringCodec,
} from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';
import { outageDriver } from '../test-support/outage-driver.js';
import { REJECTED, RESOLVED, recordRuns } from '../test-support/record-calls.js';

// Issue 13, acceptance 1 (reads): every documented channel subscribed at once; each read's
// runs, their events in order and their payloads, for each outcome.

const env = useFakeTimedServer({ commandTimeoutMs: false });
const TTL = 60_000;
const EVERY_CHANNEL = [...Object.values(CALL_CHANNELS), REFRESH_CHANNEL, LOAD_CHANNEL, LOCK_WAIT_CHANNEL];
const upper = async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()]));

function named(options = {}) {
  const p = env.start(options);
  return { ...p, pages: newStringCache(p.conn, StringCodec, { name: 'pages' }) };
}

/** Records every channel; `runs()` are the runs published since the last `runs()`. */
const everyChannel = () => recordRuns<CallEvent>(EVERY_CHANNEL);

describe('getMulti', () => {
  it('near hits, a Redis hit and loaded keys: counts by outcome, outcome mixed; one load run for the keys it loaded', async () => {
    const a = named();
    const b = named();
    await a.pages.getMulti(['n1', 'n2'], TTL, upper);
    await b.pages.get('r', TTL, async () => 'R');
    const runs = everyChannel();
    expect(await a.pages.getMulti(['n1', 'n2', 'r', 'l'], TTL, upper)).toEqual(
      new Map([
        ['n1', 'N1'],
        ['n2', 'N2'],
        ['r', 'R'],
        ['l', 'L'],
      ]),
    );
    const [call, load] = runs();
    expect(call).toEqual({
      channel: 'redcache:getMulti',
      kinds: RESOLVED,
      event: expect.objectContaining({
        op: 'getMulti',
        view: 'pages',
        keys: ['n1', 'n2', 'r', 'l'],
        keyCount: 4,
        outcome: 'mixed',
        counts: { nearHit: 2, redisHit: 1, loaded: 1 },
      }),
    });
    expect(load).toMatchObject({
      channel: 'redcache:load',
      kinds: RESOLVED,
      event: { op: 'getMulti', view: 'pages', keys: ['l'] },
    });
  });

  it('all near hits (the hit-only path): outcome nearHit with its count; a duplicate key counted once', async () => {
    const a = named();
    await a.pages.getMulti(['x', 'y'], TTL, upper);
    const runs = everyChannel();
    await a.pages.getMulti(['x', 'y', 'x'], TTL, upper);
    expect(runs()).toEqual([
      {
        channel: 'redcache:getMulti',
        kinds: RESOLVED,
        event: expect.objectContaining({
          keys: ['x', 'y'],
          keyCount: 2,
          outcome: 'nearHit',
          counts: { nearHit: 2 },
        }),
      },
    ]);
  });

  it('a joiner of another call’s flight waited; a loader error fails the call: outcome error, unsettled keys counted error', async () => {
    const a = named();
    await a.pages.get('n', TTL, async () => 'N');
    const value = deferred<string>();
    const runs = everyChannel();
    const first = a.pages.get('w', TTL, () => value.promise);
    const joiner = a.pages.getMulti(['w', 'n'], TTL, upper);
    await flush();
    value.resolve('W');
    await Promise.all([first, joiner]);
    expect(runs().find((r) => r.channel === 'redcache:getMulti')!.event).toMatchObject({
      outcome: 'mixed',
      counts: { waited: 1, nearHit: 1 },
    });
    const failure = new Error('db down');
    await expect(a.pages.getMulti(['n', 'e1', 'e2'], TTL, () => Promise.reject(failure))).rejects.toThrow(
      'db down',
    );
    const [call] = runs();
    expect(call).toEqual({
      channel: 'redcache:getMulti',
      kinds: REJECTED,
      event: expect.objectContaining({ outcome: 'error', error: failure, counts: { nearHit: 1, error: 2 } }),
    });
  });

  it('a string for keys: an error call with no keys (not one per character)', async () => {
    const a = named();
    const runs = everyChannel();
    await expect(a.pages.getMulti('abc' as unknown as string[], TTL, upper)).rejects.toThrow(TypeError);
    expect(runs()).toEqual([
      {
        channel: 'redcache:getMulti',
        kinds: REJECTED,
        event: expect.objectContaining({ keys: [], keyCount: 0, outcome: 'error', counts: {} }),
      },
    ]);
  });

  it('no keys: outcome mixed with empty counts', async () => {
    const a = named();
    const runs = everyChannel();
    await a.pages.getMulti([], TTL, upper);
    expect(runs()).toEqual([
      {
        channel: 'redcache:getMulti',
        kinds: RESOLVED,
        event: expect.objectContaining({ keyCount: 0, outcome: 'mixed', counts: {} }),
      },
    ]);
  });
});

describe('peek', () => {
  it('nearHit, redisHit, notFound; an error (closed connection) rejects with outcome error', async () => {
    const a = named();
    const b = named();
    await a.pages.get('k', TTL, async () => 'v');
    const runs = everyChannel();
    await a.pages.peek('k', TTL);
    await b.pages.peek('k', TTL);
    await b.pages.peek('none', TTL);
    expect(runs().map((r) => [r.channel, r.kinds, r.event.outcome, r.event.view, r.event.keys])).toEqual([
      ['redcache:peek', RESOLVED, 'nearHit', 'pages', ['k']],
      ['redcache:peek', RESOLVED, 'redisHit', 'pages', ['k']],
      ['redcache:peek', RESOLVED, 'notFound', 'pages', ['none']],
    ]);
    await b.conn.close();
    await expect(b.pages.peek('other', TTL)).rejects.toThrow();
    expect(runs()).toEqual([
      {
        channel: 'redcache:peek',
        kinds: REJECTED,
        event: expect.objectContaining({ outcome: 'error', error: expect.any(Error) }),
      },
    ]);
  });
});

describe('get: fail-safe and Redis down', () => {
  it('a fallback served for a failing loader: outcome fallback', async () => {
    const a = named({ failSafe: { maxStaleMs: 10_000 } });
    await a.pages.get('k', 1_000, async () => 'old');
    await vi.advanceTimersByTimeAsync(1_001);
    const runs = everyChannel();
    expect(await a.pages.get('k', 1_000, () => Promise.reject(new Error('db down')))).toBe('old');
    const call = runs().find((r) => r.channel === 'redcache:get')!;
    expect(call).toEqual({
      channel: 'redcache:get',
      kinds: RESOLVED,
      event: expect.objectContaining({ outcome: 'fallback', result: 'old' }),
    });
  });

  it('loaded here while Redis is down (whenRedisIsDown load): outcome degraded', async () => {
    const outage = outageDriver(env.server.connect());
    const conn = Conn.open(outage.driver, {
      commandTimeoutMs: false,
      whenRedisIsDown: 'load',
      breaker: { probeIntervalMs: 100 },
    });
    env.closeAfter(() => conn.close());
    const pages = newStringCache(conn, StringCodec, { name: 'pages' });
    outage.down();
    await flush();
    const runs = everyChannel();
    expect(await pages.get('k', TTL, async () => 'here')).toBe('here');
    expect(runs().find((r) => r.channel === 'redcache:get')!.event).toMatchObject({
      view: 'pages',
      outcome: 'degraded',
    });
  });
});

describe('redcache:refresh', () => {
  it('a stale hit’s background refresh: one run, op and view of the hit, refreshed; a refresh whose loader fails publishes error', async () => {
    const a = named({ refreshAfterFraction: 0.5, refreshWorkers: 1 });
    await a.pages.get('k', 1_000, async () => 'v0');
    await vi.advanceTimersByTimeAsync(600);
    const runs = everyChannel();
    expect(await a.pages.get('k', 1_000, async () => 'v1')).toBe('v0');
    await flush();
    const refresh = runs().filter((r) => r.channel === 'redcache:refresh');
    expect(refresh).toEqual([
      {
        channel: 'redcache:refresh',
        kinds: RESOLVED,
        event: {
          op: 'get',
          view: 'pages',
          keys: ['k'],
          keyCount: 1,
          outcome: 'refreshed',
          result: undefined,
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(600);
    const failure = new Error('db down');
    await a.pages.getMulti(['k'], 1_000, () => Promise.reject(failure));
    await flush();
    expect(runs().filter((r) => r.channel === 'redcache:refresh')).toEqual([
      {
        channel: 'redcache:refresh',
        kinds: REJECTED,
        event: expect.objectContaining({ op: 'getMulti', view: 'pages', outcome: 'error', error: failure }),
      },
    ]);
  });

  it('a refresh whose lock another process holds is skipped', async () => {
    const a = named({ refreshAfterFraction: 0.5, refreshWorkers: 1 });
    const b = named({ refreshAfterFraction: 0.5, refreshWorkers: 1 });
    await a.pages.get('k', 1_000, async () => 'v0');
    await b.pages.get('k', 1_000, async () => 'v0');
    await vi.advanceTimersByTimeAsync(600);
    const slow = deferred<string>();
    const runs = everyChannel();
    await a.pages.get('k', 1_000, () => slow.promise);
    await flush();
    await b.pages.get('k', 1_000, async () => 'v1');
    await flush();
    const refresh = runs().filter((r) => r.channel === 'redcache:refresh');
    expect(refresh.map((r) => [r.kinds, r.event.outcome])).toEqual([
      ['start end', undefined],
      [RESOLVED, 'skipped'],
    ]);
    slow.resolve('v2');
    await flush();
  });

  it('a refresh whose loader chose skipStore for every key is skipped (was: refreshed, though nothing was written back)', async () => {
    const a = named({ refreshAfterFraction: 0.5, refreshWorkers: 1 });
    await a.pages.get('k', 1_000, async () => 'v0');
    await vi.advanceTimersByTimeAsync(600);
    const runs = everyChannel();
    await a.pages.get('k', 1_000, async (_key, ctx) => {
      ctx.skipStore();
      return 'v1';
    });
    await flush();
    const refresh = runs().filter((r) => r.channel === 'redcache:refresh');
    expect(refresh.map((r) => [r.kinds, r.event.outcome])).toEqual([[RESOLVED, 'skipped']]);
  });
});
