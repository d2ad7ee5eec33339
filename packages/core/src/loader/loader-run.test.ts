import { describe, expect, it } from 'vitest';
import type { LoaderContext } from '../cache.js';
import { keyCodecFunc } from '../codec/ready-codecs.js';
import { InvalidTTLError } from '../errors/errors.js';
import { multiLoad, singleLoad } from '../view/loader-calls.js';
import { choicesOf, storeTtlOf } from './loader-choices.js';

const signal = new AbortController().signal;

/** Runs a single-key loader that makes `choose` on its context; its answer and choices. */
async function single(choose: (ctx: LoaderContext<string>) => void) {
  const values = await singleLoad('a', 'r:a', async (_key: string, ctx: LoaderContext<string>) => {
    choose(ctx);
    return 'v';
  })(['r:a'], signal);
  return { values, choices: choicesOf(values) };
}

const byId = keyCodecFunc((id: number) => `r:${id}`);

async function multi(choose: (ctx: LoaderContext<number>) => void) {
  const originals = new Map([
    ['r:1', 1],
    ['r:2', 2],
    ['r:3', 3],
  ]);
  const load = multiLoad('getMulti', byId, originals, async (keys: number[], ctx: LoaderContext<number>) => {
    choose(ctx);
    return new Map(keys.map((k) => [k, String(k)]));
  });
  const values = await load(['r:1', 'r:2', 'r:3'], signal);
  const choices = choicesOf(values);
  return (key: string) => storeTtlOf(choices, key, 60_000);
}

describe('a loader that chooses', () => {
  it('makes no choices record when the loader makes no choice', async () => {
    const { values, choices } = await single(() => {});
    expect(values.get('r:a')).toBe('v');
    expect(choices).toBeUndefined();
    expect(storeTtlOf(choices, 'r:a', 60_000)).toBe(60_000);
  });

  it('setTtl takes a Duration, rounded up to whole ms', async () => {
    const { choices } = await single((ctx) => ctx.setTtl('1.5s'));
    expect(storeTtlOf(choices, 'r:a', 60_000)).toBe(1500);
    const again = await single((ctx) => ctx.setTtl(0.2));
    expect(storeTtlOf(again.choices, 'r:a', 60_000)).toBe(1);
  });

  it('skipStore means no ttl (do not store); the last call for a key wins', async () => {
    expect(storeTtlOf((await single((ctx) => ctx.skipStore())).choices, 'r:a', 1)).toBeUndefined();
    const later = await single((ctx) => {
      ctx.skipStore();
      ctx.setTtl('1s');
    });
    expect(storeTtlOf(later.choices, 'r:a', 60_000)).toBe(1000);
    const named = await single((ctx) => ctx.skipStore(['a']));
    expect(storeTtlOf(named.choices, 'r:a', 1)).toBeUndefined();
    const other = await single((ctx) => ctx.skipStore(['b']));
    expect(storeTtlOf(other.choices, 'r:a', 7)).toBe(7);
  });

  it('works from a destructured or spread context', async () => {
    const { choices } = await single(({ setTtl }) => setTtl(5));
    expect(storeTtlOf(choices, 'r:a', 60_000)).toBe(5);
    const spread = await single((ctx) => ({ ...ctx }).skipStore());
    expect(storeTtlOf(spread.choices, 'r:a', 60_000)).toBeUndefined();
  });

  it('an invalid ttl is an InvalidTTLError naming the value and the key, thrown into the loader', async () => {
    const error = await single((ctx) => ctx.setTtl('-1s')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect((error as InvalidTTLError).message).toContain('"-1s"');
    expect((error as InvalidTTLError).message).toContain('"a"');
    expect((error as InvalidTTLError).key).toBe('a');
    const words = await single((ctx) => ctx.setTtl('5 minutes' as never)).catch((e: unknown) => e);
    expect(words).toBeInstanceOf(InvalidTTLError);
  });

  it('keys that are not an array are a TypeError', async () => {
    const error = await single((ctx) => ctx.skipStore('a' as never)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/skipStore: keys must be an array/);
  });

  it('in a multi-key loader, per key: a call for some keys, one for all, the last wins', async () => {
    const ttlOf = await multi((ctx) => {
      ctx.setTtl('1s', [1]);
      ctx.skipStore([2, 99]);
    });
    expect([ttlOf('r:1'), ttlOf('r:2'), ttlOf('r:3')]).toEqual([1000, undefined, 60_000]);
    const all = await multi((ctx) => {
      ctx.skipStore([2]);
      ctx.setTtl(10);
      ctx.setTtl(20, [3]);
    });
    expect([all('r:1'), all('r:2'), all('r:3')]).toEqual([10, 10, 20]);
  });

  it('an invalid ttl in a multi-key loader names the keys it was for', async () => {
    const error = await multi((ctx) => ctx.setTtl(-1, [2])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect((error as InvalidTTLError).key).toEqual([2]);
  });

  it('calls after the loader settled have no effect', async () => {
    let late: LoaderContext<string> | undefined;
    const { choices } = await single((ctx) => {
      late = ctx;
    });
    late!.setTtl('-1s');
    late!.skipStore();
    expect(choices).toBeUndefined();
  });
});
