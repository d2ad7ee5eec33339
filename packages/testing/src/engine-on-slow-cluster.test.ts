import { Conn, type Driver, MissingLoaderResultError, newStringCache, StringCodec } from '@redcache/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryDriver } from './memory/memory-driver.js';
import { createMemoryRedis, type MemoryRedis } from './memory/memory-redis.js';
import { withSend } from './test-support/with-send.js';

// The engine on a memory "cluster" whose slot groups answer at different speeds, as the nodes
// of a real cluster do: replies come back in any order, and a send reaches the server a while
// after the engine makes it (the cluster driver first looks up the node of the slot).

/** A driver whose sends reach `inner` after `delayMs(first key)` ms. */
function slowDriver(inner: MemoryDriver, delayMs: (key: string) => number): Driver {
  return withSend(inner, async (commands) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs(commands[0]?.key ?? '')));
    return inner.send(commands);
  });
}

let server: MemoryRedis;
let conn: Conn | undefined;
afterEach(async () => {
  await conn?.close();
});

/** Keys on distinct slots; the first one's group is the slowest, the last one's the fastest. */
const KEYS = ['a', 'b', 'c', 'd', 'e'];

function openSlow(): ReturnType<typeof newStringCache<string>> {
  server = createMemoryRedis({ cluster: true });
  const inner = server.connect();
  expect(new Set(KEYS.map((key) => inner.slotOf(key))).size).toBe(KEYS.length);
  conn = Conn.open(slowDriver(inner, (key) => 2 * (KEYS.length - KEYS.indexOf(key))));
  return newStringCache(conn, StringCodec);
}

describe('the engine on a cluster whose slot groups answer out of order', () => {
  it("the loader gets the missing keys in the caller's order", async () => {
    const cache = openSlow();
    const asked: string[][] = [];
    await cache.getMulti(KEYS, 60_000, async (keys) => {
      asked.push([...keys]);
      return new Map(keys.map((key) => [key, 'v']));
    });
    expect(asked).toEqual([KEYS]);
  });

  it('a loader error: every lock is gone from the server when the call rejects', async () => {
    const cache = openSlow();
    const failing = cache.getMulti(KEYS, 60_000, async () => {
      throw new Error('backend down');
    });
    await expect(failing).rejects.toThrow('backend down');
    for (const key of KEYS) expect(server.peek(key)).toBeUndefined();
  });

  it("an omitted key: its lock is gone when its caller's call rejects; the others are written", async () => {
    const cache = openSlow();
    const partial = cache.getMulti(
      KEYS,
      60_000,
      async (keys) => new Map(keys.slice(1).map((key) => [key, 'v'])),
    );
    await expect(partial).rejects.toBeInstanceOf(MissingLoaderResultError);
    expect(server.peek('a')).toBeUndefined();
  });
});
