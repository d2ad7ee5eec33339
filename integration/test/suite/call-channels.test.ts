import { tracingChannel } from 'node:diagnostics_channel';
import { CALL_CHANNELS, type CallEvent, JSONCodec, NoopMetrics, newStringCache } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';
import { useWorkers } from '../../src/use-workers.js';

// Issue 13: on a real Redis, a get that waits for a lock another process holds comes out
// 'waited' on redcache:get — another Conn in this process, and a real child process.

const target = inject('redisTarget');
const prefix = keyPrefix('call-channels');
const workers = useWorkers(target);
type Value = { value: string; pid: number };

/** Every redcache:get event settled since subscribing (asyncEnd), as copies. */
function settledGets() {
  const settled: CallEvent[] = [];
  const handlers = {
    start: () => {},
    end: () => {},
    asyncStart: () => {},
    asyncEnd: (event: CallEvent) => settled.push({ ...event }),
    error: () => {},
  };
  tracingChannel<CallEvent, CallEvent>(CALL_CHANNELS.get).subscribe(handlers);
  unsubscribes.push(() => tracingChannel<CallEvent, CallEvent>(CALL_CHANNELS.get).unsubscribe(handlers));
  return settled;
}

let unsubscribes: Array<() => void> = [];
const conns: TestConn[] = [];
afterEach(async () => {
  for (const unsubscribe of unsubscribes) unsubscribe();
  unsubscribes = [];
  await Promise.all(conns.splice(0).map((t) => t.conn.close()));
});

/** Counts the lock waits of its Conn's callers. */
class Contended extends NoopMetrics {
  waits = 0;
  override lockContended(n: number): void {
    this.waits += n;
  }
}

/** A named view on a new Conn, and a wait until one of its callers waits for a lock. */
async function pagesOn() {
  const metrics = new Contended();
  const t = await openConn(target, { metrics });
  conns.push(t);
  const pages = newStringCache(t.conn, JSONCodec<Value>(), { name: 'pages' });
  return { pages, untilWaiting: () => pollUntil('a caller waits', async () => metrics.waits >= 1) };
}

describe('redcache:get across processes', () => {
  it('two Conns: the lock holder loaded, the other waited for its value', async () => {
    const key = `${prefix}two-conns`;
    const [a, b] = [await pagesOn(), await pagesOn()];
    const settled = settledGets();
    const held = heldLoader(() => ({ value: 'from a', pid: 1 }));
    const holding = a.pages.get(key, 60_000, held.load);
    await held.started;
    const waiting = b.pages.get(key, 60_000, async () => ({ value: 'from b', pid: 2 }));
    await b.untilWaiting();
    held.finish();
    const [first, second] = await Promise.all([holding, waiting]);
    expect(second).toEqual(first);
    expect(settled.map((e) => [e.keys, e.view, e.outcome])).toEqual([
      [[key], 'pages', 'loaded'],
      [[key], 'pages', 'waited'],
    ]);
  });

  it('a child process holds the lock: this process’s get waited', async () => {
    const key = `${prefix}child`;
    const [holder] = await workers.spawn(1);
    const loading = holder!.loading(key);
    const holding = workers.get(holder!, key, { hold: true, value: 'from child' });
    await loading;
    const here = await pagesOn();
    const settled = settledGets();
    const waiting = here.pages.get(key, 60_000, async () => ({ value: 'from here', pid: process.pid }));
    await here.untilWaiting();
    await workers.release([holder!], key);
    const value = await waiting;
    expect(value.value).toBe('from child');
    expect((await holding).values).toEqual([`from child@${holder!.process.pid}`]);
    expect(settled).toEqual([
      expect.objectContaining({ op: 'get', view: 'pages', keys: [key], outcome: 'waited' }),
    ]);
  });
});
