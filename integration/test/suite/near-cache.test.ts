import { JSONCodec, newStringCache, StringCodec } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, plainClient, sleep, type TestConn } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('near-cache');
let t: TestConn;

beforeAll(async () => {
  t = await openConn(target);
});
afterAll(async () => {
  await t.conn.close();
});

describe('near cache', () => {
  it('serves a hit without sending any command to Redis', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}hit`;
    let loads = 0;
    const loader = async () => {
      loads++;
      return 'v1';
    };
    expect(await cache.get(key, 60_000, loader)).toBe('v1');
    t.driver.reset();
    for (let i = 0; i < 100; i++) expect(await cache.get(key, 60_000, loader)).toBe('v1');
    expect(t.driver.sent).toHaveLength(0);
    expect(loads).toBe(1);
  });

  it('reads a value another process stored, then serves it locally', async () => {
    const other = await plainClient(target);
    const key = `${prefix}foreign`;
    await other.set(key, '__redcache:v1:0:"hello"', { PX: 60_000 });
    const cache = newStringCache(t.conn, JSONCodec<string>());
    const reject = async (): Promise<string> => {
      throw new Error('must not load');
    };
    t.driver.reset();
    expect(await cache.get(key, 60_000, reject)).toBe('hello');
    const afterFirst = t.driver.sent.length;
    expect(afterFirst).toBeGreaterThan(0);
    expect(await cache.get(key, 60_000, reject)).toBe('hello');
    expect(t.driver.sent.length).toBe(afterFirst);
    await other.close();
  });

  it('expires an entry at the server PTTL when it is shorter than the call ttl', async () => {
    const other = await plainClient(target);
    const key = `${prefix}short`;
    // Long enough that the first get reads the key before it expires, even on a slow machine.
    const SERVER_TTL_MS = 1000;
    await other.set(key, '__redcache:v1:0:"short"', { PX: SERVER_TTL_MS });
    const cache = newStringCache(t.conn, JSONCodec<string>());
    expect(await cache.get(key, 60_000, async () => 'reloaded')).toBe('short');
    t.driver.reset();
    expect(await cache.get(key, 60_000, async () => 'reloaded')).toBe('short');
    expect(t.driver.sent).toHaveLength(0);
    // A sleep: what is under test is a ttl expiring, so time has to pass.
    await sleep(SERVER_TTL_MS + 200);
    expect(await cache.get(key, 60_000, async () => 'reloaded')).toBe('reloaded');
    await other.close();
  });

  it('deep-freezes object values shared from the near cache', async () => {
    const cache = newStringCache(t.conn, JSONCodec<{ list: number[] }>());
    const key = `${prefix}frozen`;
    const value = await cache.get(key, 60_000, async () => ({ list: [1, 2] }));
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.list)).toBe(true);
    expect(await cache.get(key, 60_000, async () => ({ list: [] }))).toBe(value);
  });
});
