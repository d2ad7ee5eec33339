import {
  DecodeError,
  JSONCodec,
  MissingLoaderResultError,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CountingMetrics } from '../../src/counting-metrics.js';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, plainClient, type TestConn } from '../../src/open-conn.js';

/** The keys the read-or-lock scripts in `sent` declared (each missing one was locked by it). */
const readOrLockKeys = (sent: readonly { args: readonly unknown[] }[]) =>
  sent
    .filter((c) => c.args[1] === readOrLockScript.sha1 || c.args[1] === readOrLockScript.source)
    .flatMap((c) => c.args.slice(3, 3 + Number(c.args[2])));

const target = inject('redisTarget');
const prefix = keyPrefix('get-multi');
let t: TestConn;
const metrics = new CountingMetrics();
beforeAll(async () => {
  t = await openConn(target, { metrics });
});
afterAll(async () => {
  await t.conn.close();
});

const k = (name: string) => `${prefix}${name}`;

describe('getMulti', () => {
  it('serves near-cache hits without re-reading and loads only the missing keys, in one call', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    await cache.get(k('a'), 60_000, async () => 'A');
    const calls: string[][] = [];
    t.driver.reset();
    const result = await cache.getMulti([k('a'), k('b'), k('c')], 60_000, async (keys) => {
      calls.push([...keys]);
      return new Map(keys.map((key) => [key, key.slice(-1).toUpperCase()]));
    });
    expect(result).toEqual(
      new Map([
        [k('a'), 'A'],
        [k('b'), 'B'],
        [k('c'), 'C'],
      ]),
    );
    expect(calls).toEqual([[k('b'), k('c')]]);
    const readKeys = t.driver.sent.filter((c) => String(c.args[0]).startsWith('EVAL')).flatMap((c) => c.args);
    expect(readKeys).not.toContain(k('a'));
    expect(readOrLockKeys(t.driver.sent)).toEqual([k('b'), k('c')]);
  });

  it('reads duplicate keys once and returns each', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const calls: string[][] = [];
    const result = await cache.getMulti([k('d'), k('d'), k('e')], 60_000, async (keys) => {
      calls.push([...keys]);
      return new Map(keys.map((key) => [key, 'x']));
    });
    expect(calls).toEqual([[k('d'), k('e')]]);
    expect([...result.keys()]).toEqual([k('d'), k('e')]);
  });

  it('an empty list makes no I/O and calls no loader', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    t.driver.reset();
    let called = false;
    expect(
      await cache.getMulti([], 60_000, async () => {
        called = true;
        return new Map();
      }),
    ).toEqual(new Map());
    expect(t.driver.sent).toHaveLength(0);
    expect(called).toBe(false);
  });

  it('keys the loader omits fail with an error naming them, and their locks are released', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const error = await cache
      .getMulti([k('f'), k('g'), k('h')], 60_000, async () => new Map([[k('f'), 'F']]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingLoaderResultError);
    expect((error as Error).message).toContain(k('g'));
    expect((error as Error).message).toContain(k('h'));
    expect(await t.client.get(k('g'))).toBeNull();
    expect(await t.client.get(k('h'))).toBeNull();
    expect(await cache.get(k('f'), 60_000, async () => 'not this')).toBe('F');
  });

  it('a stored value that cannot be decoded is a DecodeError naming the key', async () => {
    const other = await plainClient(target);
    await other.set(k('bad'), '__redcache:v1:0:{not json', { PX: 60_000 });
    const cache = newStringCache(t.conn, JSONCodec<unknown>());
    const error = await cache
      .getMulti([k('bad'), k('ok')], 60_000, async (keys) => new Map(keys.map((key) => [key, 1])))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toContain(k('bad'));
    await other.close();
  });

  it('keys locked by another loader are waited for and returned', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const other = await openConn(target);
    const otherCache = newStringCache(other.conn, StringCodec);
    const loader = heldLoader(() => 'from-other');
    const slow = otherCache.get(k('slow'), 60_000, loader.load);
    await loader.started;
    const calls: string[][] = [];
    const contended = metrics.count('lockContended');
    const reading = cache.getMulti([k('slow'), k('mine')], 60_000, async (keys) => {
      calls.push([...keys]);
      return new Map(keys.map((key) => [key, 'mine']));
    });
    // The read waits on the other loader's lock; only then does that load end.
    await metrics.reached('lockContended', contended + 1);
    loader.finish();
    const result = await reading;
    expect(result.get(k('slow'))).toBe('from-other');
    expect(result.get(k('mine'))).toBe('mine');
    expect(calls).toEqual([[k('mine')]]);
    await slow;
    await other.conn.close();
  });

  it('a loader that resolves to something other than a Map fails clearly', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const loader = (async () => ({})) as unknown as () => Promise<Map<string, string>>;
    await expect(cache.getMulti([k('notmap')], 60_000, loader)).rejects.toThrow(/must resolve to a Map/);
    expect(await t.client.get(k('notmap'))).toBeNull();
  });
});
