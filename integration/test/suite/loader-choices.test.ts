import {
  type Cache,
  InvalidTTLError,
  JSONCodec,
  keyCodecFunc,
  type LoaderContext,
  newBytesCache,
  newCache,
  newStringCache,
  StringCodec,
} from '@redcache/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KeyClient } from '../../src/key-client.js';
import { keyPrefix, openConn, plainClient, sleep, type TestConn } from '../../src/open-conn.js';
import { settleWithin } from '../../src/settle-within.js';
import { useWorkers } from '../../src/use-workers.js';

const target = inject('redisTarget');
const prefix = keyPrefix('loader-choices');
const k = (name: string) => `${prefix}${name}`;
/** Large, so that a waiter that finishes at all was woken, not let go by the lock's expiry. */
const LOCK_TTL_MS = 30_000;
const workers = useWorkers(target);

let t: TestConn;
let raw: KeyClient;
beforeAll(async () => {
  t = await openConn(target, { lockTTLMs: LOCK_TTL_MS });
  raw = await plainClient(target);
});
afterAll(async () => {
  await Promise.all([t.conn.close(), raw.close()]);
});

/** Each view, with a way to make a value and a key of it. */
const views: Array<[string, () => { cache: Cache<string, unknown>; value: unknown }]> = [
  [
    'newCache',
    () => ({
      cache: newCache(
        t.conn,
        keyCodecFunc((id: string) => id),
        JSONCodec<object>(),
      ),
      value: { n: 1 },
    }),
  ],
  ['newStringCache', () => ({ cache: newStringCache(t.conn, StringCodec), value: 'v' })],
  ['newBytesCache', () => ({ cache: newBytesCache(t.conn), value: new Uint8Array([1, 2, 3]) })],
];

/** A PTTL that a chosen ttl of `ms` allows: set, at most `ms`. */
const within = (pttl: number, ms: number) => pttl > 0 && pttl <= ms;

/** A multi-key loader that sets 1 s on the first key, 5 s on the second and skips the third. */
const choosing =
  ([a, b, c]: string[]) =>
  async (keys: string[], ctx: LoaderContext<string>) => {
    ctx.setTtl('1s', [a!]);
    ctx.setTtl('5s', [b!]);
    ctx.skipStore([c!]);
    return new Map(keys.map((key) => [key, `v:${key}`]));
  };

/** What `choosing` stored: PX ≤ 1 s, PX in (1 s, 5 s], and nothing. */
async function expectChosen([a, b, c]: string[]): Promise<void> {
  expect(within(await raw.pTTL(a!), 1000)).toBe(true);
  const pttlB = await raw.pTTL(b!);
  expect(pttlB > 1000 && pttlB <= 5000).toBe(true);
  expect(await raw.exists(c!)).toBe(0);
}

/** A promise the test opens: `opened` resolves once `open()` is called. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('setTtl: a loader that sets 1 s on a 60 s call stores PX ≤ 1000', () => {
  for (const [name, make] of views) {
    it(`${name}: get and set`, async () => {
      const { cache, value } = make();
      await cache.get(k(`${name}:get`), 60_000, async (_key, ctx) => {
        ctx.setTtl('1s');
        return value;
      });
      expect(within(await raw.pTTL(k(`${name}:get`)), 1000)).toBe(true);
      await cache.set(k(`${name}:set`), 60_000, async (_key, { setTtl }) => {
        setTtl(1000);
        return value;
      });
      expect(within(await raw.pTTL(k(`${name}:set`)), 1000)).toBe(true);
    });
  }

  it('getMulti: per key — two keys with different ttls, one skipped', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const keys = [k('gm:a'), k('gm:b'), k('gm:c')];
    const values = await cache.getMulti(keys, 60_000, choosing(keys));
    expect([...values.values()]).toEqual(keys.map((key) => `v:${key}`));
    await expectChosen(keys);
  });

  it('setMulti: per key — two keys with different ttls, one skipped (left empty)', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const keys = [k('sm:a'), k('sm:b'), k('sm:c')];
    await raw.set(keys[2]!, '__redcache:v1:0:old', { PX: 60_000 });
    await cache.setMulti(keys, 60_000, choosing(keys));
    await expectChosen(keys);
  });

  it("the near cache keeps the value only for the loader's ttl", async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = k('near');
    let loads = 0;
    const loader = async (_key: string, ctx: LoaderContext<string>) => {
      loads++;
      ctx.setTtl(1000);
      return 'v';
    };
    await cache.get(key, 60_000, loader);
    t.driver.reset();
    expect(await cache.get(key, 60_000, loader)).toBe('v');
    expect(t.driver.sent).toHaveLength(0);
    // What is under test: the chosen ttl has passed (a sleep: time passing is the property).
    await sleep(1200);
    await cache.get(key, 60_000, loader);
    expect(loads).toBe(2);
  });

  it("an invalid ttl ('-1s') rejects the call with InvalidTTLError naming the value and the key", async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = k('invalid');
    const error = await cache
      .get(key, 60_000, async (_key, ctx) => {
        ctx.setTtl('-1s');
        return 'v';
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect((error as Error).message).toContain('"-1s"');
    expect((error as Error).message).toContain(key);
    expect(await raw.exists(key)).toBe(0);
    // The lock was released: the next caller loads at once.
    expect(
      await settleWithin(
        'the next get',
        LOCK_TTL_MS / 3,
        cache.get(key, 60_000, async () => 'w'),
      ),
    ).toBe('w');
  });
});

describe('skipStore', () => {
  it('reaches every concurrent caller in this process and stores nothing in Redis', async () => {
    const cache = newStringCache(t.conn, StringCodec);
    const key = k('skip');
    let loads = 0;
    const { opened, open } = gate();
    const getting = Array.from({ length: 10 }, () =>
      cache.get(key, 60_000, async (_key, ctx) => {
        loads++;
        await opened;
        ctx.skipStore();
        return 'not-found';
      }),
    );
    open();
    expect(await Promise.all(getting)).toEqual(Array(10).fill('not-found'));
    expect(loads).toBe(1);
    expect(await raw.exists(key)).toBe(0);
    // Nor in the near cache: the next get loads again.
    expect(await cache.get(key, 60_000, async () => 'found')).toBe('found');
  });

  it('wakes waiters in another process, which then load for themselves', async () => {
    const key = k('skip-remote');
    const { mine, result } = await waitedElsewhere(key, (hold) =>
      remoteView().get(key, 60_000, async (_key, ctx) => {
        await hold();
        ctx.skipStore();
        return { value: 'here', pid: process.pid };
      }),
    );
    expect(mine).toEqual({ value: 'here', pid: process.pid });
    expect(result.loaderCalls).toBe(1);
    // Its wait ended on the release's push (or, if a poll landed first, on the poll that found
    // the key free), never on lockTTL.
    expect((result.wakes.invalidation ?? 0) + (result.wakes.poll ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await workers.loads(key)).toBe(1);
  });

  it('in a getMulti, wakes a waiter in another process on the skipped key only; the others are stored', async () => {
    const keys = [k('mskip:a'), k('mskip:b'), k('mskip:c')];
    const { mine } = await waitedElsewhere(keys[2]!, (hold) =>
      remoteView().getMulti(keys, 60_000, async (missing, ctx) => {
        await hold();
        ctx.skipStore([keys[2]!]);
        return new Map(missing.map((key) => [key, { value: 'here', pid: process.pid }]));
      }),
    );
    expect([...mine.values()].map((v) => v.value)).toEqual(['here', 'here', 'here']);
    expect(await raw.exists(keys[0]!)).toBe(1);
    expect(await raw.exists(keys[1]!)).toBe(1);
  });
});

/** A view of the values a worker's loader returns (see src/worker.ts). */
const remoteView = () => newStringCache(t.conn, JSONCodec<{ value: string; pid: number }>());

/**
 * Runs `call` here, whose loader holds its keys' locks until `hold()` lets it go on; meanwhile
 * a worker process gets `waited` and waits on its lock. Returns what `call` gave, and what the
 * worker got: its own value (it loaded for itself), within a third of lockTTL, its wait never
 * ended by lockTTL.
 */
async function waitedElsewhere<T>(waited: string, call: (hold: () => Promise<void>) => Promise<T>) {
  const [other] = await workers.spawn(1, { lockTTLMs: LOCK_TTL_MS });
  const { opened: loading, open: started } = gate();
  const { opened, open } = gate();
  const here = call(async () => {
    started();
    await opened;
  });
  await loading;
  const there = workers.get(other!, waited, { value: 'there' });
  await workers.untilWaiting([other!]);
  open();
  const mine = await here;
  const result = await settleWithin('the other process', LOCK_TTL_MS / 3, there);
  expect(result.values).toEqual([`there@${other!.process.pid}`]);
  expect(result.wakes.timeout ?? 0).toBe(0);
  return { mine, result };
}
