import { Conn, newStringCache, StringCodec } from '@redcache/core';
import { refreshSetScript, setIfLockedScript, unlockScript } from '@redcache/core/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { gatedDriver, runs, settle } from '../test-support/gated-driver.js';

// Issue 10, defect 3. A multi-key write over two slot groups (setMulti, a getMulti's load, a
// refresh's write-back): group `a` answers, another client then overwrites `a`, and only then
// does group `b` answer. The push for `a` is the second one since our write (the first is our
// own), so this process must not keep its own value for `a`.

let conn: Conn | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

const envelope = (body: string) => `__redcache:v1:0:${body}`;
const ours = async (keys: string[]) => new Map(keys.map((key) => [key, 'ours']));
const never = async (): Promise<string> => {
  throw new Error('the loader ran: the key was not read from the near cache or Redis');
};

/** A cluster where the pipeline of `script` for key `b` is held until released. */
function open(script: Parameters<typeof runs>[1], options: Parameters<typeof Conn.open>[1] = {}) {
  const server = createMemoryRedis({ cluster: true });
  const gated = gatedDriver(server.connect(), (command) => runs(command, script) && command.key === 'b');
  expect(gated.driver.slotOf('a')).not.toBe(gated.driver.slotOf('b'));
  conn = Conn.open(gated.driver, options);
  return { server, gated, cache: newStringCache(conn, StringCodec) };
}

/** Waits until `b`'s pipeline is held (a's was sent with it), lets a's answer in, writes `a` as another client, then lets `b` answer. */
async function overwriteABeforeBAnswers(
  server: ReturnType<typeof createMemoryRedis>,
  gated: ReturnType<typeof gatedDriver>,
): Promise<void> {
  await gated.held;
  await settle();
  server.write('a', envelope('theirs'));
  await settle();
  gated.release();
}

describe('multi-key writes on a cluster, a key overwritten before the last group answered', () => {
  it("defect 3: setMulti does not keep its own value for a key another client overwrote before the last group's CAS answered", async () => {
    const { server, gated, cache } = open(setIfLockedScript);
    const writing = cache.setMulti(['a', 'b'], 60_000, ours);
    await overwriteABeforeBAnswers(server, gated);
    await writing;
    expect(await cache.get('a', 60_000, never)).toBe('theirs');
    expect(await cache.get('b', 60_000, never)).toBe('ours');
  });

  it("defect 3: a getMulti's multi-key load does not keep its value for a key overwritten before the last group's CAS answered", async () => {
    const { server, gated, cache } = open(setIfLockedScript);
    const reading = cache.getMulti(['a', 'b'], 60_000, ours);
    await overwriteABeforeBAnswers(server, gated);
    expect(await reading).toEqual(
      new Map([
        ['a', 'ours'],
        ['b', 'ours'],
      ]),
    );
    expect(await cache.get('a', 60_000, never)).toBe('theirs');
    expect(await cache.get('b', 60_000, never)).toBe('ours');
  });

  it("a refresh's write-back does not keep its value for a key overwritten before the last group's refresh-set answered", async () => {
    const { server, gated, cache } = open(refreshSetScript, { refreshAfterFraction: 0.5 });
    // Stored with 1 s left of a 60 s ttl: a hit that is due for refresh.
    server.write('a', envelope('stale a'), { pxMs: 1_000 });
    server.write('b', envelope('stale b'), { pxMs: 1_000 });
    const refreshed = gated.answered((command) => runs(command, unlockScript) && command.key.endsWith('{b}'));
    expect(await cache.getMulti(['a', 'b'], 60_000, ours)).toEqual(
      new Map([
        ['a', 'stale a'],
        ['b', 'stale b'],
      ]),
    );
    await overwriteABeforeBAnswers(server, gated);
    await refreshed;
    await settle();
    expect(await cache.get('a', 60_000, never)).toBe('theirs');
    expect(await cache.get('b', 60_000, never)).toBe('ours');
  });
});
