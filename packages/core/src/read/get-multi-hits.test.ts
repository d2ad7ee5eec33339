import { describe, expect, it, vi } from 'vitest';
import type { CallOptions, MultiLoader } from '../cache.js';
import { keyCodecFunc, StringCodec, StringKeyCodec } from '../codec/ready-codecs.js';
import type { EngineContext } from '../engine/engine-context.js';
import { NearCache } from '../near-cache/near-cache.js';
import { nearNow } from '../near-cache/near-clock.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { getMultiHits, START_OVER } from './get-multi-hits.js';

const TTL = 60_000;
const loader: MultiLoader<string, string> = async () => new Map();

/** The parts getMultiHits reads, a near cache holding `values` (fresh for a minute). */
function engineWith(values: Record<string, string>, refreshAfterFraction = 0) {
  const nearCache = new NearCache({ maxEntries: 100, maxBytes: 100_000 });
  for (const [key, value] of Object.entries(values)) {
    const stored = { value, codec: StringCodec, raw: new Uint8Array(1), deltaNs: 0 };
    nearCache.set(key, stored, nearNow() + TTL, 0, refreshAfterFraction > 0);
  }
  const cacheHits = vi.fn();
  const engine = {
    nearCache,
    metrics: { cacheHits },
    options: { refreshAfterFraction },
    refresh: refreshAfterFraction > 0 ? {} : undefined,
  } as unknown as EngineContext;
  return { engine, cacheHits };
}

const strings: ViewCodecs<string, string> = { keyCodec: StringKeyCodec, codec: StringCodec, name: 'pages' };

/** getMultiHits into a new result: what it returned, and the result. */
function pass(
  engine: EngineContext,
  view: ViewCodecs<string, string>,
  keys: readonly string[],
  opts?: CallOptions,
  ttl = TTL,
  load: MultiLoader<string, string> = loader,
) {
  const result = new Map<string, string>();
  const stop = getMultiHits(engine, view, keys, ttl, load, opts, result);
  return { stop, result: [...result] };
}

describe('getMultiHits', () => {
  it('gives every key its near-cache value in the callers’ order and counts the hits once', () => {
    const { engine, cacheHits } = engineWith({ a: 'A', b: 'B', c: 'C' });
    expect(pass(engine, strings, ['c', 'a', 'b'])).toEqual({
      stop: 3,
      result: [
        ['c', 'C'],
        ['a', 'A'],
        ['b', 'B'],
      ],
    });
    expect(cacheHits.mock.calls).toEqual([[3, 'pages']]);
  });

  it('reads a key given twice once, and counts it once', () => {
    const { engine, cacheHits } = engineWith({ a: 'A', b: 'B' });
    expect(pass(engine, strings, ['a', 'b', 'a'], {})).toEqual({
      stop: 3,
      result: [
        ['a', 'A'],
        ['b', 'B'],
      ],
    });
    expect(cacheHits.mock.calls).toEqual([[2, 'pages']]);
  });

  it('stops at the first miss, keeping the hits before it (uncounted: the full path counts them)', () => {
    const { engine, cacheHits } = engineWith({ a: 'A', b: 'B' });
    expect(pass(engine, strings, ['a', 'b', 'a', 'missing', 'b'])).toEqual({
      stop: 3,
      result: [
        ['a', 'A'],
        ['b', 'B'],
      ],
    });
    expect(pass(engine, strings, ['missing', 'a'])).toEqual({ stop: 0, result: [] });
    expect(cacheHits).not.toHaveBeenCalled();
  });

  it('starts over for two different keys that share a Redis key (the full path names both), even when it is cached', () => {
    const { engine } = engineWith({ user: 'U' });
    const lowerCase: ViewCodecs<string, string> = {
      keyCodec: keyCodecFunc((key: string) => key.toLowerCase()),
      codec: StringCodec,
    };
    expect(pass(engine, lowerCase, ['user', 'USER']).stop).toBe(START_OVER);
    expect(pass(engine, lowerCase, ['user', 'user'])).toEqual({ stop: 2, result: [['user', 'U']] });
    // A later call is a new visit: the slot it saw before is not taken for a repeat.
    expect(pass(engine, lowerCase, ['USER'])).toEqual({ stop: 1, result: [['USER', 'U']] });
  });

  it('starts over for a key codec that throws or gives no string (the full path names the key)', () => {
    const { engine } = engineWith({ a: 'A' });
    const throwing = {
      keyCodec: {
        encodeKey: () => {
          throw new Error('no');
        },
      },
      codec: StringCodec,
    };
    const numeric = { keyCodec: { encodeKey: () => 7 as unknown as string }, codec: StringCodec };
    expect(pass(engine, throwing, ['a']).stop).toBe(START_OVER);
    expect(pass(engine, numeric, ['a']).stop).toBe(START_OVER);
  });

  it('starts over for per-call fail-safe or loader timeout (the full path checks them), no near cache, no keys, no array, no loader', () => {
    const { engine } = engineWith({ a: 'A' });
    const keys = ['a'];
    expect(pass(engine, strings, keys, { failSafe: false }).stop).toBe(START_OVER);
    expect(pass(engine, strings, keys, { loaderTimeout: { hardMs: 5 } } as never).stop).toBe(START_OVER);
    const noNear = { ...engine, nearCache: undefined } as EngineContext;
    expect(pass(noNear, strings, keys).stop).toBe(START_OVER);
    expect(pass(engine, strings, []).stop).toBe(START_OVER);
    expect(pass(engine, strings, 'a' as never).stop).toBe(START_OVER);
    expect(pass(engine, strings, keys, undefined, TTL, 'loader' as never).stop).toBe(START_OVER);
  });

  it('with refresh-ahead, stops at a hit that is due for a refresh and serves one that is not', () => {
    const { engine } = engineWith({ a: 'A' }, 0.5);
    // The entry has a minute left: due for a call whose ttl is 10 minutes, not for one of a minute.
    expect(pass(engine, strings, ['a'], undefined, 10 * TTL)).toEqual({ stop: 0, result: [] });
    expect(pass(engine, strings, ['a'], undefined, TTL)).toEqual({ stop: 1, result: [['a', 'A']] });
  });
});
