import {
  CALL_CHANNELS,
  type CallEvent,
  LOCK_WAIT_CHANNEL,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { deferred, flush, useFakeTimedServer } from '../test-support/engine-process.js';
import { REJECTED, RESOLVED, recordRuns } from '../test-support/record-calls.js';

// Issue 13, acceptance 1 (writes): each write's call channel, written or error, per-key counts
// for the multi-key writes.

const env = useFakeTimedServer({ commandTimeoutMs: false });
const TTL = 60_000;

function named() {
  const p = env.start();
  return { ...p, pages: newStringCache(p.conn, StringCodec, { name: 'pages' }) };
}

const record = () => recordRuns<CallEvent>([...Object.values(CALL_CHANNELS), LOCK_WAIT_CHANNEL]);

/** Each write once, as it succeeds. */
const WRITES = {
  set: (c: Cache) => c.set('a', TTL, async () => 'A'),
  forceSet: (c: Cache) => c.forceSet('a', TTL, 'A'),
  del: (c: Cache) => c.del('a'),
  touch: (c: Cache) => c.touch('a', TTL),
  setMulti: (c: Cache) => c.setMulti(['a', 'b'], TTL, async (keys) => new Map(keys.map((k) => [k, k]))),
  forceSetMulti: (c: Cache) =>
    c.forceSetMulti(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
      TTL,
    ),
  delMulti: (c: Cache) => c.delMulti(['a', 'b']),
  touchMulti: (c: Cache) => c.touchMulti(['a', 'b'], TTL),
} as const;
type Cache = ReturnType<typeof named>['pages'];

describe.each(Object.keys(WRITES) as (keyof typeof WRITES)[])('%s', (op) => {
  const multi = op.endsWith('Multi');
  it('written: start before any work, asyncStart with outcome written, its op, view and keys', async () => {
    const a = named();
    await a.pages.setMulti(['a', 'b'], TTL, async (keys) => new Map(keys.map((k) => [k, k])));
    const runs = record();
    await WRITES[op](a.pages);
    const keys = multi ? ['a', 'b'] : ['a'];
    expect(runs()).toEqual([
      {
        channel: `redcache:${op}`,
        kinds: RESOLVED,
        event: {
          op,
          view: 'pages',
          keys,
          keyCount: keys.length,
          outcome: 'written',
          ...(multi ? { counts: { written: 2 } } : {}),
          result: undefined,
        },
      },
    ]);
  });

  it('on a closed connection: error (with the error), outcome error', async () => {
    const a = named();
    await a.conn.close();
    const runs = record();
    await expect(WRITES[op](a.pages)).rejects.toThrow();
    const [run] = runs();
    expect(run).toEqual({
      channel: `redcache:${op}`,
      kinds: REJECTED,
      event: expect.objectContaining({ op, outcome: 'error', error: expect.any(Error) }),
    });
    if (multi) expect(run!.event.counts).toEqual({ error: 2 });
    else expect(run!.event.counts).toBeUndefined();
  });
});

describe('multi-key writes with per-key failures', () => {
  it('setMulti whose loader leaves a key out: counts written and error, outcome error', async () => {
    const a = named();
    const runs = record();
    await expect(a.pages.setMulti(['a', 'b'], TTL, async () => new Map([['a', 'A']]))).rejects.toThrow();
    expect(runs()[0]!.event).toMatchObject({ outcome: 'error', counts: { written: 1, error: 1 } });
  });

  it('forceSetMulti with a value the codec cannot encode: that key alone fails', async () => {
    const a = named();
    const runs = record();
    const values = new Map<string, string>([
      ['a', 'A'],
      ['b', 42 as unknown as string],
    ]);
    await expect(a.pages.forceSetMulti(values, TTL)).rejects.toThrow();
    expect(runs()[0]!.event).toMatchObject({
      op: 'forceSetMulti',
      outcome: 'error',
      counts: { written: 1, error: 1 },
    });
  });

  it('a set waiting for another process’s write lock publishes its lock wait after its own start', async () => {
    const a = named();
    const b = named();
    const value = deferred<string>();
    const holding = a.pages.set('a', TTL, () => value.promise);
    await flush();
    const runs = record();
    const waiting = b.pages.set('a', TTL, async () => 'B');
    await flush();
    value.resolve('A');
    await Promise.all([holding, waiting]);
    const recorded = runs();
    expect(recorded.map((r) => [r.channel, r.kinds])).toEqual([
      ['redcache:set', RESOLVED],
      ['redcache:lockWait', RESOLVED],
    ]);
    expect(recorded[0]!.event).toMatchObject({ op: 'set', outcome: 'written' });
  });
});
