import {
  BatchKeyError,
  EncodeError,
  InvalidTTLError,
  JSONCodec,
  LockLostError,
  MissingLoaderResultError,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { invalidated } from '../../src/counting-driver.js';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, sleep, type TestConn } from '../../src/open-conn.js';
import { pollUntil } from '../../src/poll-until.js';

const target = inject('redisTarget');
const prefix = keyPrefix('writes');
const k = (name: string) => `${prefix}${name}`;

let a: TestConn;
let b: TestConn;
const aMetrics = new CountingMetrics();
const bMetrics = new CountingMetrics();
beforeAll(async () => {
  a = await openConn(target, { metrics: aMetrics });
  b = await openConn(target, { metrics: bMetrics });
});

/** Resolves once a caller of the Conn counting `metrics` waits on a lock (again). */
const waits = (metrics: CountingMetrics) =>
  metrics.reached('lockContended', metrics.count('lockContended') + 1);
afterAll(async () => {
  await Promise.all([a.conn.close(), b.conn.close()]);
});

/** A loader that fails after a moment, as a slow origin would (no test depends on how long). */
const fail = (message: string) => async (): Promise<string> => {
  await sleep(50);
  throw new Error(message);
};

describe('set', () => {
  it('writes through its loader; the same process then reads the new value without loading', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    expect(await cache.get(k('ryw'), 60_000, async () => 'old')).toBe('old');
    await cache.set(k('ryw'), 60_000, async () => 'new');
    expect(await cache.get(k('ryw'), 60_000, async () => 'loaded')).toBe('new');
    expect(await a.client.get(k('ryw'))).toMatch(/^__redcache:v1:\d+:new$/);
  });

  it('a rejecting loader puts the prior value back with its remaining TTL', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    const key = k('rollback');
    await cache.forceSet(key, 10_000, 'prior');
    // Half the prior ttl has gone by: another client sets that, rather than the test sleep for it.
    await a.client.set(key, '__redcache:v1:0:prior', { PX: 5_000 });
    await expect(cache.set(key, 60_000, fail('loader down'))).rejects.toThrow('loader down');
    expect(await a.client.get(key)).toBe('__redcache:v1:0:prior');
    // What remained of the prior ttl (at most 5 s), not the prior ttl again (10 s) nor the new one (60 s).
    const pttl = await a.client.pTTL(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_000);
    expect(await cache.get(key, 60_000, async () => 'loaded')).toBe('prior');
  });

  it('keeps a prior empty string, and removes the key when there was no prior value', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    await cache.forceSet(k('empty'), 60_000, '');
    await expect(cache.set(k('empty'), 60_000, fail('nope'))).rejects.toThrow('nope');
    expect(await a.client.get(k('empty'))).toBe('__redcache:v1:0:');
    expect(await cache.get(k('empty'), 60_000, async () => 'loaded')).toBe('');
    await expect(cache.set(k('none'), 60_000, fail('nope'))).rejects.toThrow('nope');
    expect(await a.client.exists(k('none'))).toBe(0);
  });

  it('a loader that throws synchronously, or whose value cannot be encoded, also rolls back', async () => {
    const cache = newStringCache(a.conn, JSONCodec<unknown>());
    await cache.forceSet(k('sync'), 60_000, 'prior');
    const thrower = (() => {
      throw new Error('sync');
    }) as unknown as () => Promise<unknown>;
    await expect(cache.set(k('sync'), 60_000, thrower)).rejects.toThrow('sync');
    await expect(cache.set(k('sync'), 60_000, async () => 10n)).rejects.toBeInstanceOf(EncodeError);
    expect(await a.client.get(k('sync'))).toBe('__redcache:v1:0:"prior"');
  });

  it('never overwrites a read lock: it waits for the get in flight, then writes', async () => {
    const reader = newStringCache(b.conn, StringCodec);
    const writer = newStringCache(a.conn, StringCodec);
    const key = k('after-get');
    const getLoader = heldLoader(() => 'from-get');
    const reading = reader.get(key, 60_000, getLoader.load);
    await getLoader.started;
    expect(String(await a.client.get(key))).toMatch(/^__redcache:lock:/);
    let setLoaderRan = false;
    let readEndedFirst = false;
    const waited = waits(aMetrics);
    const writing = writer.set(key, 60_000, async () => {
      setLoaderRan = true;
      readEndedFirst = getLoader.finished;
      return 'from-set';
    });
    // The set waits on the read lock; its loader has not run.
    await waited;
    expect(setLoaderRan).toBe(false);
    getLoader.finish();
    await writing;
    expect(await reading).toBe('from-get');
    expect(setLoaderRan).toBe(true);
    expect(readEndedFirst).toBe(true);
    expect(await writer.get(key, 60_000, async () => 'x')).toBe('from-set');
    // The reader hears of the write by its push, which may land a moment after the set resolved.
    await pollUntil('the reader reads the set value', async () => {
      return (await reader.get(key, 60_000, async () => 'x')) === 'from-set';
    });
  });

  it("forceSet during another connection's load: that get retries and returns the forced value", async () => {
    const loader = newStringCache(b.conn, StringCodec);
    const forcer = newStringCache(a.conn, StringCodec);
    const key = k('force-during-get');
    const lostBefore = bMetrics.keys.lockLost?.length ?? 0;
    const load = heldLoader(() => 'loaded');
    const loading = loader.get(key, 60_000, load.load);
    await load.started;
    await forcer.forceSet(key, 60_000, 'forced');
    load.finish();
    expect(await loading).toBe('forced');
    expect(await a.client.get(key)).toBe('__redcache:v1:0:forced');
    expect((bMetrics.keys.lockLost ?? []).slice(lostBefore)).toEqual([key]);
  });

  it('forceSet while a set runs: the set rejects with LockLostError, the forced value stays', async () => {
    const writer = newStringCache(a.conn, StringCodec);
    const forcer = newStringCache(b.conn, StringCodec);
    const key = k('force-during-set');
    const load = heldLoader(() => 'from-set');
    const writing = writer.set(key, 60_000, load.load);
    await load.started;
    await forcer.forceSet(key, 60_000, 'forced');
    load.finish();
    await expect(writing).rejects.toBeInstanceOf(LockLostError);
    expect(await a.client.get(key)).toBe('__redcache:v1:0:forced');
    expect(await writer.get(key, 60_000, async () => 'x')).toBe('forced');
  });

  it('readers that arrive during a set wait and get the new value, never the lock', async () => {
    const writer = newStringCache(a.conn, StringCodec);
    const reader = newStringCache(b.conn, StringCodec);
    const key = k('readers-wait');
    await writer.forceSet(key, 60_000, 'old');
    const load = heldLoader(() => 'new');
    const writing = writer.set(key, 60_000, load.load);
    await load.started;
    let loads = 0;
    const waited = waits(bMetrics);
    const reading = Promise.all(
      Array.from({ length: 5 }, () =>
        reader.get(key, 60_000, async () => {
          loads++;
          return 'reader-loaded';
        }),
      ),
    );
    // The readers wait on the write lock; only then does the write end.
    await waited;
    load.finish();
    const reads = await reading;
    await writing;
    expect(reads).toEqual(Array(5).fill('new'));
    expect(loads).toBe(0);
  });
});

describe('setMulti', () => {
  it('one omitted key: BatchKeyError with failed and succeeded; the omitted key keeps its prior value', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    await cache.forceSet(k('m2'), 60_000, 'prior-2');
    const error = (await cache
      .setMulti(
        [k('m1'), k('m2'), k('m3')],
        60_000,
        async (keys) => new Map(keys.filter((x) => x !== k('m2')).map((x) => [x, 'v'])),
      )
      .catch((e: unknown) => e)) as BatchKeyError<string>;
    expect(error).toBeInstanceOf(BatchKeyError);
    expect([...error.failed.keys()]).toEqual([k('m2')]);
    expect(error.errorFor(k('m2'))).toBeInstanceOf(MissingLoaderResultError);
    expect(error.hasError(k('m1'))).toBe(false);
    expect([...error.succeeded].sort()).toEqual([k('m1'), k('m3')]);
    expect(await a.client.get(k('m2'))).toBe('__redcache:v1:0:prior-2');
    expect(await cache.get(k('m1'), 60_000, async () => 'x')).toBe('v');
  });

  it('a loader error rolls every key back', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    await cache.forceSetMulti(new Map([[k('r1'), 'one']]), 60_000);
    await expect(cache.setMulti([k('r1'), k('r2')], 60_000, fail('batch down') as never)).rejects.toThrow(
      'batch down',
    );
    expect(await a.client.get(k('r1'))).toBe('__redcache:v1:0:one');
    expect(await a.client.exists(k('r2'))).toBe(0);
  });

  it('two writers on overlapping keys in opposite orders both finish (ordered locks, no deadlock)', async () => {
    const one = newStringCache(a.conn, StringCodec);
    const two = newStringCache(b.conn, StringCodec);
    const keys = [k('d1'), k('d2'), k('d3')];
    const loaderOf = (tag: string) => heldLoader((ks: string[]) => new Map(ks.map((x) => [x, tag])));
    const [first, second] = [loaderOf('one'), loaderOf('two')];
    const contended = aMetrics.count('lockContended') + bMetrics.count('lockContended');
    const writing = Promise.all([
      one.setMulti(keys, 60_000, first.load),
      two.setMulti([...keys].reverse(), 60_000, second.load),
    ]);
    // The writes overlap for sure: one holds every lock (its loader runs, held) while the other waits.
    await Promise.race([first.started, second.started]);
    await pollUntil(
      'the other writer waits',
      () => aMetrics.count('lockContended') + bMetrics.count('lockContended') > contended,
    );
    first.finish();
    second.finish();
    await writing;
    const values = await Promise.all(keys.map((x) => a.client.get(x)));
    expect(new Set(values).size).toBe(1);
  });
});

describe('forceSetMulti', () => {
  it('writes every value it can encode; BatchKeyError names the one that failed', async () => {
    const cache = newStringCache(a.conn, JSONCodec<unknown>());
    const error = (await cache
      .forceSetMulti(
        new Map<string, unknown>([
          [k('f1'), 1],
          [k('f2'), 2n],
          [k('f3'), 3],
        ]),
        60_000,
      )
      .catch((e: unknown) => e)) as BatchKeyError<string>;
    expect(error).toBeInstanceOf(BatchKeyError);
    expect([...error.failed.keys()]).toEqual([k('f2')]);
    expect(error.errorFor(k('f2'))).toBeInstanceOf(EncodeError);
    expect(error.message).toContain(k('f2'));
    expect(await a.client.get(k('f1'))).toBe('__redcache:v1:0:1');
    expect(await a.client.get(k('f3'))).toBe('__redcache:v1:0:3');
    expect(await a.client.exists(k('f2'))).toBe(0);
  });
});

describe('del, touch', () => {
  it("del and delMulti drop the keys from every connection's near cache; the next get loads", async () => {
    const mine = newStringCache(a.conn, StringCodec);
    const theirs = newStringCache(b.conn, StringCodec);
    for (const key of [k('x1'), k('x2'), k('x3')]) {
      await mine.get(key, 60_000, async () => 'cached');
      expect(await theirs.get(key, 60_000, async () => 'other')).toBe('cached');
    }
    const heard = invalidated(b.driver, [k('x1'), k('x2'), k('x3')]);
    await mine.del(k('x1'));
    await mine.delMulti([k('x2'), k('x3')]);
    await heard;
    for (const key of [k('x1'), k('x2'), k('x3')]) {
      expect(await theirs.get(key, 60_000, async () => 'reloaded')).toBe('reloaded');
    }
    expect(await mine.get(k('x1'), 60_000, async () => 'mine-reloaded')).toBe('reloaded');
  });

  it('touch sets the PTTL; no-op on a missing key or a lock; never deletes', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    await cache.forceSet(k('t1'), 1000, 'v');
    await cache.touch(k('t1'), 60_000);
    // The new ttl, not the old 1 s (a bound that leaves a slow machine seconds between the two commands).
    expect(await a.client.pTTL(k('t1'))).toBeGreaterThan(30_000);
    await cache.touch(k('t-missing'), 60_000);
    expect(await a.client.exists(k('t-missing'))).toBe(0);
    await a.client.set(k('t-lock'), '__redcache:lock:someone:1', { PX: 1000 });
    await cache.touchMulti([k('t-lock'), k('t1')], 30_000);
    expect(await a.client.pTTL(k('t-lock'))).toBeLessThanOrEqual(1000);
    expect(await a.client.pTTL(k('t1'))).toBeLessThanOrEqual(30_000);
    await expect(cache.touch(k('t1'), 0)).rejects.toBeInstanceOf(InvalidTTLError);
    expect(await a.client.exists(k('t1'))).toBe(1);
  });

  it('another connection re-reads a touched key and keeps it for its new TTL', async () => {
    const toucher = newStringCache(a.conn, StringCodec);
    const reader = newStringCache(b.conn, StringCodec);
    const key = k('t-other');
    /** Long enough that the reader reads the key before it expires, even on a slow machine. */
    const SHORT_TTL_MS = 1000;
    await toucher.forceSet(key, SHORT_TTL_MS, 'short');
    expect(await reader.get(key, 60_000, async () => 'loaded')).toBe('short');
    const heard = invalidated(b.driver, [key]);
    await toucher.touch(key, 60_000);
    await heard;
    b.driver.reset();
    expect(await reader.get(key, 60_000, async () => 'loaded')).toBe('short');
    expect(b.driver.sent.length).toBeGreaterThan(0);
    // A sleep: time passing is the property — past the old ttl, the reader still serves it from memory.
    await sleep(SHORT_TTL_MS + 200);
    b.driver.reset();
    expect(await reader.get(key, 60_000, async () => 'loaded')).toBe('short');
    expect(b.driver.sent).toHaveLength(0);
  });
});

describe('read-your-writes', () => {
  it('after any write resolves, a get in the same process returns the written state', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    const never = async (): Promise<string> => {
      throw new Error('must not load');
    };
    const keys = [k('ryw1'), k('ryw2')];
    for (const key of keys) await cache.get(key, 60_000, async () => 'cached');
    await cache.set(keys[0]!, 60_000, async () => 'set');
    expect(await cache.get(keys[0]!, 60_000, never)).toBe('set');
    await cache.setMulti(keys, 60_000, async (ks) => new Map(ks.map((x) => [x, 'setMulti'])));
    expect(await cache.getMulti(keys, 60_000, async () => new Map())).toEqual(
      new Map(keys.map((x) => [x, 'setMulti'])),
    );
    await cache.forceSet(keys[0]!, 60_000, 'forced');
    expect(await cache.get(keys[0]!, 60_000, never)).toBe('forced');
    await cache.forceSetMulti(new Map(keys.map((x) => [x, 'forcedMulti'])), 60_000);
    expect(await cache.getMulti(keys, 60_000, async () => new Map())).toEqual(
      new Map(keys.map((x) => [x, 'forcedMulti'])),
    );
    await cache.touch(keys[0]!, 30_000);
    expect(await cache.get(keys[0]!, 60_000, never)).toBe('forcedMulti');
    await cache.del(keys[0]!);
    expect(await cache.get(keys[0]!, 60_000, async () => 'after-del')).toBe('after-del');
    await cache.delMulti(keys);
    expect(await cache.peek(keys[1]!, 60_000)).toEqual({ found: false });
  });
});

describe('validation and round trips', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'ttl %s: InvalidTTLError before any I/O',
    async (ttl) => {
      const cache = newStringCache(a.conn, StringCodec);
      a.driver.reset();
      let loads = 0;
      const loader = async () => {
        loads++;
        return 'v';
      };
      const multi = async (keys: string[]) => {
        loads++;
        return new Map(keys.map((x) => [x, 'v']));
      };
      for (const call of [
        () => cache.set(k('ttl'), ttl, loader),
        () => cache.setMulti([k('ttl')], ttl, multi),
        () => cache.forceSet(k('ttl'), ttl, 'v'),
        () => cache.forceSetMulti(new Map([[k('ttl'), 'v']]), ttl),
        () => cache.touch(k('ttl'), ttl),
        () => cache.touchMulti([k('ttl')], ttl),
      ]) {
        await expect(call()).rejects.toBeInstanceOf(InvalidTTLError);
      }
      expect(a.driver.sent).toHaveLength(0);
      expect(loads).toBe(0);
    },
  );

  it('multi-key writes send one pipeline per slot group, not one round trip per key', async () => {
    const cache = newStringCache(a.conn, StringCodec);
    const keys = Array.from({ length: 20 }, (_, i) => k(`p${i}`));
    // One group on a single server; one per slot on a cluster.
    const groups = new Set(keys.map((key) => a.driver.slotOf(key))).size;
    const round = async (write: () => Promise<void>) => {
      a.driver.reset();
      await write();
      return a.driver.pipelines;
    };
    const rounds = async () => [
      await round(() => cache.forceSetMulti(new Map(keys.map((x) => [x, 'f'])), 60_000)),
      await round(() => cache.setMulti(keys, 60_000, async (ks) => new Map(ks.map((x) => [x, 's'])))),
      await round(() => cache.touchMulti(keys, 60_000)),
      await round(() => cache.delMulti(keys)),
    ];
    // The first time, a node that has not run a script yet answers NOSCRIPT, and it is sent again.
    await rounds();
    // setMulti: the write locks, then the values.
    expect(await rounds()).toEqual([groups, 2 * groups, groups, groups]);
    expect(a.driver.sent).toHaveLength(20);
  });
});
