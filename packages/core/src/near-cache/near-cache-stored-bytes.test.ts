import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../engine/engine-context.js';
import { NearCache } from './near-cache.js';
import { storeNear } from './store-near.js';

const codec = { name: 'A' };
const roomy = { maxEntries: 100, maxBytes: 1_000_000 };
const stored = (raw: Uint8Array) => ({ value: 'v', codec, raw, deltaNs: 7 });

/** What storeNear reads of a Conn: its near cache, refresh-ahead's fraction and fail-safe. */
function parts(refreshAfterFraction: number, maxStaleMs?: number) {
  const failSafe = maxStaleMs === undefined ? false : { maxStaleMs };
  const nearCache = new NearCache(roomy);
  return { nearCache, options: { refreshAfterFraction, failSafe } } as unknown as Pick<
    EngineContext,
    'nearCache' | 'options'
  > & { nearCache: NearCache };
}

describe('near-cache stored bytes: kept only where a feature needs them', () => {
  it('refresh-ahead off and no fail-safe: the entry keeps no stored bytes, yet counts them', () => {
    const ctx = parts(0);
    storeNear(ctx, 'key', stored(new Uint8Array(100)), 10_000, -1);
    const entry = ctx.nearCache.get('key', codec, performance.now());
    expect(entry?.value).toBe('v');
    expect(entry?.deltaNs).toBe(7);
    expect(entry?.raw).toBeUndefined();
    expect(entry?.bytes).toBe(103);
    expect(ctx.nearCache.bytes).toBe(103);
  });

  it('refresh-ahead on: the entry keeps the stored bytes its write-back compares', () => {
    const ctx = parts(0.5);
    const raw = new Uint8Array([1, 2, 3]);
    storeNear(ctx, 'key', stored(raw), 10_000, -1);
    expect(ctx.nearCache.get('key', codec, performance.now())?.raw).toBe(raw);
  });

  it('fail-safe: the entry keeps its stored bytes (a fallback hands over the payload)', () => {
    const ctx = parts(0, 5_000);
    const raw = new Uint8Array([1, 2, 3]);
    storeNear(ctx, 'key', stored(raw), 10_000, -1);
    const now = performance.now();
    expect(ctx.nearCache.get('key', codec, now)?.raw).toBe(raw);
    expect(ctx.nearCache.fallback('key', codec, now, 5_000)?.raw).toBe(raw);
  });

  it('an entry without stored bytes is no fallback (it was stored without fail-safe)', () => {
    const cache = new NearCache(roomy);
    cache.set('key', stored(new Uint8Array(4)), 1_000);
    expect(cache.get('key', codec, 0)?.raw).toBeUndefined();
    expect(cache.fallback('key', codec, 0, 5_000)).toBeUndefined();
  });

  it('kept bytes that are a small slice of a big reply chunk are copied, so the chunk can go', () => {
    const cache = new NearCache(roomy);
    const chunk = new Uint8Array(1_000).fill(9);
    const slice = chunk.subarray(10, 20);
    cache.set('key', stored(slice), 1_000, 0, true);
    const kept = cache.get('key', codec, 0)!.raw!;
    expect(kept).not.toBe(slice);
    expect(kept.buffer).not.toBe(chunk.buffer);
    expect(kept.buffer.byteLength).toBe(10);
    expect([...kept]).toEqual([...slice]);
    expect(cache.bytes).toBe(13);
  });

  it('a small slice of a Buffer (as node-redis replies are) is copied too, not viewed', () => {
    const cache = new NearCache(roomy);
    const chunk = Buffer.alloc(1_000, 9);
    const slice = chunk.subarray(10, 20);
    cache.set('key', stored(slice), 1_000, 0, true);
    const kept = cache.get('key', codec, 0)!.raw!;
    expect(kept.buffer).not.toBe(chunk.buffer);
    expect(kept.buffer.byteLength).toBe(10);
    expect([...kept]).toEqual([...slice]);
  });

  it('kept bytes that are most of their buffer are kept as they are (no copy)', () => {
    const cache = new NearCache(roomy);
    const chunk = new Uint8Array(20);
    const slice = chunk.subarray(2, 20);
    cache.set('key', stored(slice), 1_000, 0, true);
    expect(cache.get('key', codec, 0)!.raw).toBe(slice);
  });
});

/** `prefix + key` at run time (V8 keeps the result as a rope, as a view's prefixed keys are). */
const concatenated = (prefix: string, key: string) => prefix + key;

describe('near-cache bytes: a key counts its UTF-8 length, as Redis stores it', () => {
  it.each([
    ['ASCII', 'user:42', 7],
    ['two-byte', 'café', 5],
    ['three-byte', '€uro', 6],
    ['astral (two UTF-16 units, four bytes)', 'k😀', 5],
    ['built by concatenation (a prefixed key)', concatenated('users:v2:', 'naïve'), 15],
  ])('%s key', (_kind, key, keyBytes) => {
    const cache = new NearCache(roomy);
    cache.set(key, stored(new Uint8Array(10)), performance.now() + 10_000);
    expect(cache.bytes).toBe(10 + keyBytes);
    cache.delete(key);
    expect(cache.bytes).toBe(0);
  });
});
