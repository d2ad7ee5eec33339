import {
  type Cache,
  type Codec,
  Conn,
  InvalidKeyError,
  JSONCodec,
  type KeyCodec,
  keyCodecFunc,
  newCache,
  RedcacheError,
  StringKeyCodec,
} from '@redcache/core';
import { MAX_TTL_MS } from '@redcache/core/internal';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { createFakeCache } from './fake-cache.js';

// Issue 10: the fake re-implemented key and value encoding and the input checks, and refused
// less than the real views: a lone surrogate, two keys with one Redis key, `getMulti('abc')`.
// Each case here runs on the fake and on a real view (the engine on the memory driver) and
// must end the same way on both: the same error class, code, op, key and message.

type Run = (cache: Cache<string, unknown>) => Promise<unknown>;

const cut = '😀'.slice(0, 1);
const lowerCase = keyCodecFunc((key: string) => key.toLowerCase());
const many = vi.fn(async (keys: string[]) => new Map(keys.map((key) => [key, key.length])));
const one = vi.fn(async (key: string) => key.length);

/** Every method, with `key` where a key goes and `keys` where keys go. */
function everyMethod(key: string, keys: string[], ttl = 1000): [string, Run][] {
  const values = new Map(keys.map((k) => [k, 1]));
  return [
    ['get', (c) => c.get(key, ttl, one)],
    ['getMulti', (c) => c.getMulti(keys, ttl, many)],
    ['peek', (c) => c.peek(key, ttl)],
    ['set', (c) => c.set(key, ttl, one)],
    ['setMulti', (c) => c.setMulti(keys, ttl, many)],
    ['forceSet', (c) => c.forceSet(key, ttl, 1)],
    ['forceSetMulti', (c) => c.forceSetMulti(values, ttl)],
    ['del', (c) => c.del(key)],
    ['delMulti', (c) => c.delMulti(keys)],
    ['touch', (c) => c.touch(key, ttl)],
    ['touchMulti', (c) => c.touchMulti(keys, ttl)],
  ];
}

const notArrays: [string, unknown][] = [
  ['a string', 'abc'],
  ['an empty string', ''],
  ['a Set', new Set(['a'])],
  ['undefined', undefined],
  ['an array-like object', { length: 1, 0: 'a' }],
];

/** What a call ended with, in the terms a caller can see. */
function outcome(settled: PromiseSettledResult<unknown>): unknown {
  if (settled.status === 'fulfilled') return { resolved: settled.value };
  return errorShape(settled.reason);
}

function errorShape(error: unknown): unknown {
  if (!(error instanceof Error)) return { thrown: error };
  const shape: Record<string, unknown> = { class: error.constructor.name, message: error.message };
  if (RedcacheError.isInstance(error))
    Object.assign(shape, { code: error.code, op: error.op, key: error.key });
  if (error.cause !== undefined) shape.cause = errorShape(error.cause);
  const batch = error as { failed?: ReadonlyMap<unknown, unknown>; succeeded?: unknown };
  if (batch.failed instanceof Map)
    Object.assign(shape, {
      failed: [...batch.failed].map(([k, e]) => [k, errorShape(e)]),
      succeeded: batch.succeeded,
    });
  return shape;
}

/** Runs `run` on a new fake and on a new real view with the same codecs; both outcomes. */
async function onBoth(
  run: Run,
  keyCodec: KeyCodec<string> | undefined,
  codec: Codec<unknown> = JSONCodec<unknown>(),
): Promise<{ fake: unknown; real: unknown; loads: number; calls: unknown[] }> {
  many.mockClear();
  one.mockClear();
  const fake = createFakeCache<string, unknown>({ codec, ...(keyCodec ? { keyCodec } : {}) });
  const fakeOutcome = outcome((await Promise.allSettled([run(fake)]))[0]!);
  const fakeLoads = many.mock.calls.length + one.mock.calls.length;
  const conn = Conn.open(createMemoryRedis().connect());
  try {
    const real = newCache(conn, keyCodec ?? StringKeyCodec, codec);
    return {
      fake: fakeOutcome,
      real: outcome((await Promise.allSettled([run(real)]))[0]!),
      loads: fakeLoads,
      calls: fake.calls,
    };
  } finally {
    await conn.close();
  }
}

describe('the fake refuses what the real views refuse, with the same errors (issue 10)', () => {
  describe.each([
    ['without a key codec (as newStringCache)', undefined],
    ['with a key codec', lowerCase],
  ])('%s', (_label, keyCodec) => {
    it.each(everyMethod(`user:${cut}`, ['ok', `user:${cut}`]))(
      'defect 4: a key that is not well-formed UTF-16 is an InvalidKeyError: %s',
      async (_op, run) => {
        const { fake, real, loads, calls } = await onBoth(run, keyCodec);
        expect(fake).toEqual(real);
        expect(fake).toMatchObject({ class: 'InvalidKeyError', key: `user:${cut}` });
        expect([loads, calls]).toEqual([0, []]);
      },
    );

    it.each(everyMethod('', ['ok', '']))('an empty key is an InvalidKeyError: %s', async (_op, run) => {
      const { fake, real } = await onBoth(run, keyCodec);
      expect(fake).toEqual(real);
      expect(fake).toMatchObject({ class: 'InvalidKeyError', key: '' });
    });

    it.each(
      (['getMulti', 'setMulti', 'delMulti', 'touchMulti'] as const).flatMap((op) =>
        notArrays.map(([label, keys]): [string, string, Run] => [
          op,
          label,
          (c) =>
            op === 'getMulti' || op === 'setMulti'
              ? c[op](keys as string[], 1000, many)
              : op === 'delMulti'
                ? c.delMulti(keys as string[])
                : c.touchMulti(keys as string[], 1000),
        ]),
      ),
    )('defect 15: %s with %s for keys is a TypeError naming the op', async (op, _label, run) => {
      const { fake, real, loads, calls } = await onBoth(run, keyCodec);
      expect(fake).toEqual(real);
      expect(fake).toMatchObject({ class: 'TypeError' });
      expect((fake as { message: string }).message).toContain(op);
      expect([loads, calls]).toEqual([0, []]);
    });

    it.each([
      ['an array of entries', [['a', 1]]],
      ['a plain object', { a: 1 }],
      ['a string', 'abc'],
    ])('defect 15: forceSetMulti with %s is a TypeError naming the op', async (_label, values) => {
      const run: Run = (c) => c.forceSetMulti(values as unknown as Map<string, unknown>, 1000);
      const { fake, real, calls } = await onBoth(run, keyCodec);
      expect(fake).toEqual(real);
      expect(fake).toMatchObject({ class: 'TypeError' });
      expect((fake as { message: string }).message).toContain('forceSetMulti');
      expect(calls).toEqual([]);
    });

    it.each([1e20, Number.MAX_VALUE, MAX_TTL_MS + 1])(
      'defect 15: ttl %s is beyond the bound: InvalidTTLError on every ttl-bearing method',
      async (ttl) => {
        for (const [op, run] of everyMethod('k', ['k'], ttl).filter(([op]) => !op.startsWith('del'))) {
          const { fake, real, loads } = await onBoth(run, keyCodec);
          expect(fake, op).toEqual(real);
          expect(fake, op).toMatchObject({ class: 'InvalidTTLError', code: 'E_INVALID_TTL' });
          expect(loads, op).toBe(0);
        }
      },
    );
  });

  it.each(everyMethod('x', ['x', 'User', 'USER']).filter(([op]) => op.endsWith('Multi')))(
    'defect 19: two different keys with one Redis key are an InvalidKeyError naming both: %s',
    async (_op, run) => {
      const { fake, real, loads, calls } = await onBoth(run, lowerCase);
      expect(fake).toEqual(real);
      expect(fake).toMatchObject({ class: 'InvalidKeyError', key: ['User', 'USER'] });
      expect([loads, calls]).toEqual([0, []]);
    },
  );

  it('a key given twice is still read once (not a collision)', async () => {
    const { fake, real } = await onBoth((c) => c.getMulti(['User', 'x', 'User'], 1000, many), lowerCase);
    expect(fake).toEqual(real);
    expect(fake).toEqual({
      resolved: new Map([
        ['User', 4],
        ['x', 1],
      ]),
    });
  });

  it('without a key codec, a key that is neither a string nor a number is an InvalidKeyError', async () => {
    const fake = createFakeCache<unknown, string>();
    const error = await fake.get({ id: 1 }, 1000, async () => 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as InvalidKeyError).op).toBe('get');
    expect(fake.calls).toEqual([]);
    const numbers = createFakeCache<number, string>();
    await numbers.forceSet(7, 1000, 'seven');
    expect(await numbers.get(7, 1000, async () => 'other')).toBe('seven');
  });
});

describe("a call's own failSafe and loaderTimeout are refused as the real views refuse them (issue 11)", () => {
  it.each<[string, Run]>([
    ['get with failSafe.maxStaleMs -5', (c) => c.get('user:7', 1000, one, { failSafe: { maxStaleMs: -5 } })],
    [
      'get with loaderTimeout soft past hard',
      (c) => c.get('user:7', 1000, one, { loaderTimeout: { softMs: 9, hardMs: 3 } }),
    ],
    [
      'getMulti with loaderTimeout.hardMs NaN',
      (c) => c.getMulti(['user:7', 'b'], 1000, many, { loaderTimeout: { hardMs: Number.NaN } }),
    ],
  ])('%s: the same InvalidOptionsError, naming the op, the key and the option', async (label, run) => {
    const { fake, real, loads, calls } = await onBoth(run, undefined);
    expect(fake).toEqual(real);
    const op = label.split(' ')[0]!;
    expect(fake).toMatchObject({ class: 'InvalidOptionsError', code: 'E_INVALID_OPTIONS' });
    expect((fake as { message: string }).message).toContain(`${op} key`);
    expect((fake as { message: string }).message).toContain('user:7');
    expect([loads, calls]).toEqual([0, []]);
  });
});

describe('the fake encodes and decodes values as the engine does (issue 10)', () => {
  const bigint: Run = (c) => c.forceSet('k', 1000, 1n);
  const notBytes: Codec<unknown> = { encode: () => 42 as unknown as string, decode: (raw) => raw };
  const unreadable: Codec<unknown> = {
    encode: (value) => JSON.stringify(value),
    decode: () => {
      throw new SyntaxError('unreadable');
    },
  };

  it.each<[string, Run, Codec<unknown>?]>([
    ['forceSet of a value JSON cannot hold', bigint],
    ['forceSet with a codec that gives a number', (c) => c.forceSet('k', 1000, 'v'), notBytes],
    ['get whose loader gives a value JSON cannot hold', (c) => c.get('k', 1000, async () => 1n)],
    ['get with a codec that gives a number', (c) => c.get('k', 1000, async () => 'v'), notBytes],
    ['set whose loader gives undefined', (c) => c.set('k', 1000, async () => undefined)],
    [
      'getMulti: an omitted key and a value JSON cannot hold',
      (c) =>
        c.getMulti(
          ['a', 'b', 'c'],
          1000,
          async () =>
            new Map<string, unknown>([
              ['a', 1],
              ['b', 1n],
            ]),
        ),
    ],
    ['getMulti whose loader gives no Map', (c) => c.getMulti(['a'], 1000, async () => ({ a: 1 }) as never)],
    [
      'setMulti: an omitted key and a value JSON cannot hold',
      (c) =>
        c.setMulti(
          ['a', 'b', 'c'],
          1000,
          async () =>
            new Map<string, unknown>([
              ['a', 1],
              ['c', 1n],
            ]),
        ),
    ],
    [
      'forceSetMulti: a value JSON cannot hold fails alone',
      (c) =>
        c.forceSetMulti(
          new Map<string, unknown>([
            ['a', 1],
            ['b', undefined],
          ]),
          1000,
        ),
    ],
    ['get of a value the codec cannot read back', (c) => c.get('k', 1000, async () => 'v'), unreadable],
  ])('%s', async (_label, run, codec) => {
    const { fake, real } = await onBoth(run, undefined, codec);
    expect(fake).toEqual(real);
    expect(fake).toHaveProperty('class');
  });
});
