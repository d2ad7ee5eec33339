import { newStringCache, StringCodec } from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { heldLoader } from '../../src/held-loader.js';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';

const target = inject('redisTarget');
const prefix = keyPrefix('peek');
let t: TestConn;
beforeAll(async () => {
  t = await openConn(target);
});
afterAll(async () => {
  await t.conn.close();
});

describe('peek', () => {
  it('a miss is {found: false}, and neither loads nor locks', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}miss`;
    t.driver.reset();
    expect(await cache.peek(key, 60_000)).toEqual({ found: false });
    expect(t.driver.count('SET')).toBe(0);
    expect(await t.client.exists(key)).toBe(0);
  });

  it('a hit is {found: true, value}', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}hit`;
    await cache.get(key, 60_000, async () => 'stored');
    expect(await cache.peek(key, 60_000)).toEqual({ found: true, value: 'stored' });
  });

  it('a key held by a lock is {found: false}', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = `${prefix}locked`;
    const loader = heldLoader(() => 'late');
    const loading = cache.get(key, 60_000, loader.load);
    await loader.started;
    expect(String(await t.client.get(key))).toMatch(/^__redcache:lock:/);
    expect(await cache.peek(key, 60_000)).toEqual({ found: false });
    loader.finish();
    expect(await loading).toBe('late');
  });
});
