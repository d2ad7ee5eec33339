import { describe, expect, it, vi } from 'vitest';
import type { MultiLoader } from '../cache.js';
import { keyCodecFunc, StringCodec, StringKeyCodec } from '../codec/ready-codecs.js';
import type { EngineContext } from '../engine/engine-context.js';
import { NearCache } from '../near-cache/near-cache.js';
import { nearNow } from '../near-cache/near-clock.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { getMultiHits } from './get-multi-hits.js';

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

describe('getMultiHits', () => {
  it('gives every key its near-cache value in the callers’ order and counts the hits once', () => {
    const { engine, cacheHits } = engineWith({ a: 'A', b: 'B', c: 'C' });
    const result = getMultiHits(engine, strings, ['c', 'a', 'b'], TTL, loader, undefined);
    expect([...result!]).toEqual([
      ['c', 'C'],
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(cacheHits.mock.calls).toEqual([[3, 'pages']]);
  });

  it('reads a key given twice once, and counts it once', () => {
    const { engine, cacheHits } = engineWith({ a: 'A', b: 'B' });
    const result = getMultiHits(engine, strings, ['a', 'b', 'a'], TTL, loader, {});
    expect([...result!]).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(cacheHits.mock.calls).toEqual([[2, 'pages']]);
  });

  it('gives up (the full path runs) at a miss, counting nothing', () => {
    const { engine, cacheHits } = engineWith({ a: 'A' });
    expect(getMultiHits(engine, strings, ['a', 'missing'], TTL, loader, undefined)).toBeUndefined();
    expect(cacheHits).not.toHaveBeenCalled();
  });

  it('gives up for two different keys that share a Redis key (the full path names both), even when it is cached', () => {
    const { engine } = engineWith({ user: 'U' });
    const lowerCase: ViewCodecs<string, string> = {
      keyCodec: keyCodecFunc((key: string) => key.toLowerCase()),
      codec: StringCodec,
    };
    expect(getMultiHits(engine, lowerCase, ['user', 'USER'], TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, lowerCase, ['user', 'user'], TTL, loader, undefined)?.size).toBe(1);
    // A later call is a new visit: the slot it saw before is not taken for a repeat.
    expect(getMultiHits(engine, lowerCase, ['USER'], TTL, loader, undefined)?.get('USER')).toBe('U');
  });

  it('gives up for a key codec that throws or gives no string (the full path names the key)', () => {
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
    expect(getMultiHits(engine, throwing, ['a'], TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, numeric, ['a'], TTL, loader, undefined)).toBeUndefined();
  });

  it('gives up for per-call fail-safe or loader timeout (the full path checks them), no near cache, no keys, no array, no loader', () => {
    const { engine } = engineWith({ a: 'A' });
    const keys = ['a'];
    expect(getMultiHits(engine, strings, keys, TTL, loader, { failSafe: false })).toBeUndefined();
    expect(
      getMultiHits(engine, strings, keys, TTL, loader, { loaderTimeout: { hardMs: 5 } } as never),
    ).toBeUndefined();
    const noNear = { ...engine, nearCache: undefined } as EngineContext;
    expect(getMultiHits(noNear, strings, keys, TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, strings, [], TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, strings, 'a' as never, TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, strings, keys, TTL, 'loader' as never, undefined)).toBeUndefined();
  });

  it('with refresh-ahead, gives up at a hit that is due for a refresh and serves one that is not', () => {
    const { engine } = engineWith({ a: 'A' }, 0.5);
    // The entry has a minute left: due for a call whose ttl is 10 minutes, not for one of a minute.
    expect(getMultiHits(engine, strings, ['a'], 10 * TTL, loader, undefined)).toBeUndefined();
    expect(getMultiHits(engine, strings, ['a'], TTL, loader, undefined)?.get('a')).toBe('A');
  });
});
