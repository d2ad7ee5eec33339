import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import {
  CALL_CHANNELS,
  type CallEvent,
  InvalidKeyError,
  keyCodecFunc,
  newCache,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';
import { recordChannels } from '../test-support/record-calls.js';

// Issue 13: the redcache:get channel, one CallEvent per call, its outcome set before asyncStart.

const env = useFakeTimedServer({ commandTimeoutMs: false });
const TTL = 60_000;
const SETTLED = ['start', 'end', 'asyncStart', 'asyncEnd'].map((k) => `redcache:get ${k}`);
const FAILED = ['start', 'end', 'error', 'asyncStart', 'asyncEnd'].map((k) => `redcache:get ${k}`);

/** A named view on a fresh process. */
function named(name = 'pages') {
  const p = env.start();
  return { ...p, pages: newStringCache(p.conn, StringCodec, { name }) };
}

describe('redcache:get', () => {
  it('a get that loads: start (outcome unset) in order, then asyncStart with loaded, its op, view, keys and result', async () => {
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    const a = named();
    expect(await a.pages.get('k', TTL, async () => 'v')).toBe('v');
    expect(calls.kinds()).toEqual(SETTLED);
    expect(calls.seen[0]!.event).toEqual({
      op: 'get',
      view: 'pages',
      keys: ['k'],
      keyCount: 1,
      outcome: undefined,
    });
    expect(calls.seen[2]!.event).toEqual({
      op: 'get',
      view: 'pages',
      keys: ['k'],
      keyCount: 1,
      outcome: 'loaded',
      result: 'v',
    });
    // One context object for the whole call.
    expect(new Set(calls.seen.map((p) => p.context)).size).toBe(1);
  });

  it('a near hit ends nearHit, already at end (its promise settled synchronously); a view with no name has no view', async () => {
    const a = env.start();
    await a.cache.get('k', TTL, async () => 'v');
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    expect(await a.cache.get('k', TTL, async () => 'other')).toBe('v');
    expect(calls.kinds()).toEqual(SETTLED);
    expect(calls.seen[1]!.event.outcome).toBe('nearHit');
    expect(calls.seen[3]!.event).toEqual({
      op: 'get',
      keys: ['k'],
      keyCount: 1,
      outcome: 'nearHit',
      result: 'v',
    });
    expect('view' in calls.seen[3]!.event).toBe(false);
  });

  it('a value another process stored is a redisHit', async () => {
    const a = named();
    const b = named();
    await a.pages.get('k', TTL, async () => 'v');
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    expect(await b.pages.get('k', TTL, async () => 'other')).toBe('v');
    expect(calls.last()).toMatchObject({ op: 'get', view: 'pages', outcome: 'redisHit' });
  });

  it('in one process, the caller that started the flight loaded and one that joined it waited', async () => {
    const a = named();
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    const value = deferred<string>();
    const first = a.pages.get('k', TTL, () => value.promise);
    const second = a.pages.get('k', TTL, async () => 'never');
    await flush();
    value.resolve('v');
    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    const ends = calls.seen.filter((p) => p.kind === 'asyncEnd');
    expect(ends.map((p) => p.event.outcome)).toEqual(['loaded', 'waited']);
  });

  it('a caller that waited for another process’s lock waited', async () => {
    const a = named();
    const b = named();
    const value = deferred<string>();
    const holding = a.pages.get('k', TTL, () => value.promise);
    await flush();
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    const waiting = b.pages.get('k', TTL, async () => 'from b');
    await flush();
    value.resolve('from a');
    expect(await Promise.all([holding, waiting])).toEqual(['from a', 'from a']);
    expect(calls.kinds()).toEqual(SETTLED);
    expect(calls.last()).toMatchObject({ op: 'get', view: 'pages', outcome: 'waited' });
  });

  it('a loader that throws: error (with the error) before asyncStart, outcome error', async () => {
    const a = named();
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    const failure = new Error('db down');
    await expect(a.pages.get('k', TTL, async () => Promise.reject(failure))).rejects.toThrow('db down');
    expect(calls.kinds()).toEqual(FAILED);
    expect(calls.seen[2]!.event).toMatchObject({
      op: 'get',
      view: 'pages',
      outcome: 'error',
      error: failure,
    });
  });

  it('an empty key is an error call with that key; a key the codec refuses, one with no keys', async () => {
    const a = env.start();
    const calls = recordChannels<CallEvent>([CALL_CHANNELS.get]);
    await expect(a.cache.get('', TTL, async () => 'v')).rejects.toThrow();
    expect(calls.kinds()).toEqual(FAILED);
    expect(calls.last()).toMatchObject({ keys: [''], keyCount: 1, outcome: 'error' });
    calls.clear();
    const refusing = newCache(
      a.conn,
      keyCodecFunc((_key: number): string => {
        throw new Error('no such id');
      }),
      StringCodec,
    );
    await expect(refusing.get(7, TTL, async () => 'v')).rejects.toThrow(InvalidKeyError);
    expect(calls.kinds()).toEqual(FAILED);
    expect(calls.seen[0]!.event).toEqual({ op: 'get', keys: [], keyCount: 0, outcome: undefined });
    expect(calls.last()).toMatchObject({ outcome: 'error', error: expect.any(InvalidKeyError) });
  });

  it('start is published in the caller’s own context, and a store bound to it is the loader’s', async () => {
    const a = env.start();
    const caller = new AsyncLocalStorage<string>();
    const call = new AsyncLocalStorage<string>();
    const start = tracingChannel<string, CallEvent>(CALL_CHANNELS.get).start;
    let callerAtStart: string | undefined;
    start.bindStore(call, (event) => {
      callerAtStart = caller.getStore();
      return `get ${event.keys.join(',')}`;
    });
    try {
      let inLoader: string | undefined;
      await caller.run('request 1', () =>
        a.cache.get('k', TTL, async () => {
          inLoader = call.getStore();
          return 'v';
        }),
      );
      expect(callerAtStart).toBe('request 1');
      expect(inLoader).toBe('get k');
    } finally {
      start.unbindStore(call);
    }
  });
});
