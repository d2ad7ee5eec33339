import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import {
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  type LoadEvent,
  type LockWaitEvent,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { describe, expect, it, type MockInstance, vi } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';
import { recordChannels } from '../test-support/record-calls.js';

// Issue 13, first step: the redcache:load and redcache:lockWait tracing channels, end to end on
// the memory driver.

const env = useFakeTimedServer({ commandTimeoutMs: false });
const KINDS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

/** Every event of `name` until the test ends: what was published, and the kinds in order. */
function record<E extends object>(name: string) {
  const recorder = recordChannels<E>([name]);
  return { seen: recorder.seen, kinds: () => recorder.seen.map((published) => published.kind) };
}

describe('redcache:load', () => {
  it('a get that loads publishes start, end, asyncStart and asyncEnd with its op, keys and outcome', async () => {
    const loads = record<LoadEvent>(LOAD_CHANNEL);
    const a = env.start();
    expect(await a.cache.get('k', 60_000, async () => 'v')).toBe('v');
    expect(loads.kinds()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(loads.seen[0]!.event).toEqual({ op: 'get', keys: ['k'], keyCount: 1, outcome: undefined });
    expect(loads.seen[3]!.event).toMatchObject({ op: 'get', keys: ['k'], keyCount: 1, outcome: 'loaded' });
    expect(loads.seen[3]!.event.result).toEqual(new Map([['k', 'v']]));
    // A hit runs no loader: nothing more is published.
    expect(await a.cache.get('k', 60_000, async () => 'other')).toBe('v');
    expect(loads.seen).toHaveLength(4);
  });

  it('a getMulti counts the keys its loader was called for', async () => {
    const loads = record<LoadEvent>(LOAD_CHANNEL);
    const a = env.start();
    await a.cache.get('b', 60_000, async () => 'B');
    loads.seen.length = 0;
    const loader = async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()]));
    await a.cache.getMulti(['a', 'b', 'c'], 60_000, loader);
    expect(loads.kinds()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(loads.seen[3]!.event).toMatchObject({ op: 'getMulti', keyCount: 2, outcome: 'loaded' });
    expect([...loads.seen[3]!.event.keys].sort()).toEqual(['a', 'c']);
  });

  it('a loader that throws publishes error (with the error) before asyncStart and asyncEnd', async () => {
    const loads = record<LoadEvent>(LOAD_CHANNEL);
    const a = env.start();
    const failure = new Error('db down');
    await expect(a.cache.get('k', 60_000, async () => Promise.reject(failure))).rejects.toThrow('db down');
    expect(loads.kinds()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(loads.seen[2]!.event).toMatchObject({ op: 'get', outcome: 'error', error: failure });
  });

  it('a hard loader timeout ends the run with outcome timeout', async () => {
    const loads = record<LoadEvent>(LOAD_CHANNEL);
    const a = env.start({ loaderTimeout: { hardMs: 100 } });
    const getting = a.cache.get('k', 60_000, () => new Promise<string>(() => {}));
    const settled = expect(getting).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(loads.kinds()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(loads.seen[4]!.event.outcome).toBe('timeout');
  });

  it('the loader runs inside the start event’s bound stores (a tracer’s context reaches it)', async () => {
    record<LoadEvent>(LOAD_CHANNEL);
    const store = new AsyncLocalStorage<string>();
    const start = tracingChannel<string, LoadEvent>(LOAD_CHANNEL).start;
    start.bindStore(store, (event) => `load of ${event.keys.join(',')}`);
    try {
      const a = env.start();
      let seen: string | undefined;
      await a.cache.get('k', 60_000, async () => {
        seen = store.getStore();
        return 'v';
      });
      expect(seen).toBe('load of k');
    } finally {
      start.unbindStore(store);
    }
  });
});

/** Process `a` holds k's lock (its loader pending); process `b` gets k, so waits for it. */
async function holdAndWait(signal?: AbortSignal) {
  const a = env.start();
  const b = env.start();
  const value = deferred<string>();
  const holding = a.cache.get('k', 60_000, () => value.promise);
  await flush();
  const waiting = b.cache.get('k', 60_000, async () => 'from b', signal ? { signal } : {});
  waiting.catch(() => {});
  await flush();
  return { a, holding, waiting, release: () => value.resolve('from a') };
}

describe('redcache:lockWait', () => {
  it('a waiter for a lock another process holds publishes a wait that ended by invalidation', async () => {
    const waits = record<LockWaitEvent>(LOCK_WAIT_CHANNEL);
    const { holding, waiting, release } = await holdAndWait();
    expect(waits.kinds()).toEqual(['start', 'end']);
    expect(waits.seen[0]!.event).toEqual({ op: 'get', keys: ['k'], keyCount: 1, ended: undefined });
    release();
    expect(await Promise.all([holding, waiting])).toEqual(['from a', 'from a']);
    expect(waits.kinds()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(waits.seen[3]!.event).toMatchObject({ op: 'get', keyCount: 1, ended: 'invalidation' });
  });

  it("a lock wait names the waiting view (was: LockWaitEvent had no view, so a named view's waits were anonymous)", async () => {
    const waits = record<LockWaitEvent>(LOCK_WAIT_CHANNEL);
    const a = env.start();
    const b = env.start();
    const value = deferred<string>();
    const holding = a.cache.get('k', 60_000, () => value.promise);
    await flush();
    const users = newStringCache(b.conn, StringCodec, { name: 'users' });
    const waiting = users.get('k', 60_000, async () => 'from b');
    await flush();
    expect(waits.seen[0]!.event).toEqual({
      op: 'get',
      view: 'users',
      keys: ['k'],
      keyCount: 1,
      ended: undefined,
    });
    value.resolve('from a');
    expect(await Promise.all([holding, waiting])).toEqual(['from a', 'from a']);
  });

  it('a wait the caller aborts publishes error (with the abort’s error), ended aborted', async () => {
    const waits = record<LockWaitEvent>(LOCK_WAIT_CHANNEL);
    const controller = new AbortController();
    const { holding, waiting, release } = await holdAndWait(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toBeDefined();
    expect(waits.kinds()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(waits.seen[2]!.event.ended).toBe('aborted');
    expect(waits.seen[2]!.event.error).toBeInstanceOf(Error);
    release();
    expect(await holding).toBe('from a');
  });
});

describe('without a subscriber', () => {
  it('nothing is traced, published or run through the channels on a load, a failed load or a lock wait', async () => {
    const channels = [LOAD_CHANNEL, LOCK_WAIT_CHANNEL].map((name) => tracingChannel(name));
    expect(channels.map((c) => c.hasSubscribers)).toEqual([false, false]);
    const spies: MockInstance[] = channels.flatMap((c): MockInstance[] => [
      ...KINDS.map((kind) => vi.spyOn(c[kind], 'publish')),
      vi.spyOn(c.start, 'runStores'),
    ]);
    // Core's own TracingChannel objects share this prototype: not even tracePromise is called.
    spies.push(vi.spyOn(Object.getPrototypeOf(channels[0]!), 'tracePromise'));
    try {
      const { a, holding, waiting, release } = await holdAndWait();
      release();
      expect(await Promise.all([holding, waiting])).toEqual(['from a', 'from a']);
      await expect(a.cache.get('x', 60_000, async () => Promise.reject(new Error('no')))).rejects.toThrow();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
