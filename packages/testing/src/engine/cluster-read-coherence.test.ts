import { Conn, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { gatedDriver, runs, settle } from '../test-support/gated-driver.js';

// Issue 10, defect 2. A getMulti over two slot groups: group `a` answers, another client then
// writes `a`, and only then does group `b` answer. The push for `a` arrives while the call is
// still in flight; the old `a` must not be kept in the near cache (nothing would correct it).

let conn: Conn | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

const envelope = (body: string) => `__redcache:v1:0:${body}`;

describe('getMulti on a cluster, a key written between the first and the last group answering', () => {
  it('defect 2: the old value of a key written after its group answered, before the last group did, is not kept in the near cache', async () => {
    const server = createMemoryRedis({ cluster: true });
    const inner = server.connect();
    const gated = gatedDriver(inner, (command) => runs(command, readOrLockScript) && command.key === 'b');
    expect(gated.driver.slotOf('a')).not.toBe(gated.driver.slotOf('b'));
    conn = Conn.open(gated.driver);
    const cache = newStringCache(conn, StringCodec);
    server.write('a', envelope('old a'));
    server.write('b', envelope('b'));
    const loader = vi.fn(async (keys: string[]) => new Map(keys.map((key) => [key, 'loaded'])));

    const reading = cache.getMulti(['a', 'b'], 60_000, loader);
    await gated.held;
    await settle();
    server.write('a', envelope('new a'));
    await settle();
    gated.release();

    // What the read saw is returned (it was the value when read)...
    expect(await reading).toEqual(
      new Map([
        ['a', 'old a'],
        ['b', 'b'],
      ]),
    );
    // ...but not kept: the next read goes to Redis and sees the other client's write.
    expect(await cache.get('a', 60_000, async () => 'loaded')).toBe('new a');
    // `b` was crossed by nothing: it is served from the near cache.
    const sent = inner.sent.length;
    expect(await cache.get('b', 60_000, async () => 'loaded')).toBe('b');
    expect(inner.sent.length).toBe(sent);
    expect(loader).not.toHaveBeenCalled();
  });
});
