import { keySlot, newStringCache, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { keyPrefix, openConn, type TestConn } from '../../src/open-conn.js';

// A view's prefix against a real Redis and a real cluster: keys are stored as prefix + key, and
// a hash tag, in the key or in the prefix, still decides the slot every command goes to.

const target = inject('redisTarget');
const base = keyPrefix('prefix');
const TTL = 60_000;

const conns: TestConn[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.conn.close()));
});
async function open(): Promise<TestConn> {
  const conn = await openConn(target);
  conns.push(conn);
  return conn;
}

const loadAll = async (keys: string[]) => new Map(keys.map((k) => [k, `loaded-${k}`]));

describe('a view with a prefix', () => {
  it('stores every key as prefix + key, and reads it back through every path', async () => {
    const { conn, client } = await open();
    const prefix = `${base}paths:`;
    const view = newStringCache(conn, StringCodec, { prefix });
    expect(await view.get('a', TTL, async () => 'A')).toBe('A');
    await view.forceSet('b', TTL, 'B');
    expect(await view.getMulti(['a', 'b', 'c'], TTL, loadAll)).toEqual(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
        ['c', 'loaded-c'],
      ]),
    );
    for (const key of ['a', 'b', 'c']) expect(await client.get(`${prefix}${key}`)).toMatch(/^__redcache:v1:/);
    expect(await client.exists('a')).toBe(0);
    await view.del('a');
    expect(await client.exists(`${prefix}a`)).toBe(0);
  });

  it("keeps the key's hash tag deciding its slot: the keys of one tag go together", async () => {
    const { conn, driver } = await open();
    const prefix = `${base}tags:`;
    const view = newStringCache(conn, StringCodec, { prefix });
    const keys = ['{t1}:a', '{t1}:b', '{t1}:c', '{t1}:d'];
    driver.reset();
    await view.getMulti(keys, TTL, loadAll);
    const slots = new Set(driver.sent.map((command) => keySlot(command.key)));
    expect(slots).toEqual(new Set([keySlot('{t1}')]));
    expect(await view.getMulti(keys, TTL, loadAll)).toEqual(new Map(keys.map((k) => [k, `loaded-${k}`])));
  });

  it('with a hash tag in the prefix, puts every key of the view in one slot', async () => {
    const { conn, driver } = await open();
    const prefix = `{${base}one}:`;
    const view = newStringCache(conn, StringCodec, { prefix });
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    driver.reset();
    expect(await view.getMulti(keys, TTL, loadAll)).toEqual(new Map(keys.map((k) => [k, `loaded-${k}`])));
    expect(new Set(driver.sent.map((command) => keySlot(command.key)))).toEqual(new Set([keySlot(prefix)]));
    expect(await view.clear()).toBe(50);
  });
});
