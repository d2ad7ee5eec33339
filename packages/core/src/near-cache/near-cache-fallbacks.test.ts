import { describe, expect, it, vi } from 'vitest';
import { NearCache } from './near-cache.js';

const codec = { name: 'A' };
const other = { name: 'B' };
const stored = (value: unknown, bytes = 10) => ({ value, codec, raw: new Uint8Array(bytes), deltaNs: 0 });
const roomy = { maxEntries: 100, maxBytes: 1_000_000 };

describe('NearCache fallbacks (fail-safe)', () => {
  it('past its expiry an entry with staleMs is no hit, but a fallback until expiresAt + staleMs', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 1_000, 500);
    expect(cache.get('k', codec, 1_000)).toBeUndefined();
    expect(cache.fallback('k', codec, 1_200, 10_000)?.value).toBe('v');
    expect(cache.size).toBe(1);
    expect(cache.fallback('k', codec, 1_500, 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("a caller's maxStaleMs bounds how stale a fallback it takes", () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 1_000, 5_000);
    expect(cache.fallback('k', codec, 1_300, 200)).toBeUndefined();
    expect(cache.fallback('k', codec, 1_300, 300)?.value).toBe('v');
  });

  it('a fresh entry is a fallback too; another codec gets none', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 1_000, 500);
    expect(cache.fallback('k', codec, 10, 0)?.value).toBe('v');
    expect(cache.fallback('k', other, 10, 10_000)).toBeUndefined();
  });

  it('without staleMs, an expired entry goes as before', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 1_000);
    expect(cache.fallback('k', codec, 1_000, 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('demote: a fresh entry stops being fresh now and stays a fallback for staleMs from now', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 10_000, 500);
    cache.demote('k', 100);
    expect(cache.get('k', codec, 100)).toBeUndefined();
    expect(cache.fallback('k', codec, 599, 10_000)?.value).toBe('v');
    expect(cache.fallback('k', codec, 600, 10_000)).toBeUndefined();
  });

  it('demote without a time reads the clock for a key it holds, and not for one it does not', () => {
    const cache = new NearCache(roomy);
    const clock = vi.spyOn(performance, 'now').mockReturnValue(100);
    try {
      cache.set('k', stored('v'), 10_000, 500);
      cache.demote('absent');
      expect(clock).not.toHaveBeenCalled();
      cache.demote('k');
      expect(clock).toHaveBeenCalledTimes(1);
    } finally {
      clock.mockRestore();
    }
    expect(cache.get('k', codec, 100)).toBeUndefined();
    expect(cache.fallback('k', codec, 599, 10_000)?.value).toBe('v');
    expect(cache.fallback('k', codec, 600, 10_000)).toBeUndefined();
  });

  it('demote of an entry already stale keeps its original limit; without staleMs it deletes', () => {
    const cache = new NearCache(roomy);
    cache.set('stale', stored('v'), 1_000, 500);
    cache.set('plain', stored('w'), 10_000);
    cache.demote('stale', 1_400);
    cache.demote('plain', 1_400);
    expect(cache.fallback('stale', codec, 1_499, 10_000)?.value).toBe('v');
    expect(cache.fallback('stale', codec, 1_500, 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('demoteAll demotes every entry (a flush): fallbacks stay, plain entries go', () => {
    const cache = new NearCache(roomy);
    cache.set('a', stored('a'), 10_000, 500);
    cache.set('b', stored('b'), 10_000);
    cache.demoteAll(0);
    expect(cache.get('a', codec, 0)).toBeUndefined();
    expect(cache.fallback('a', codec, 0, 10_000)?.value).toBe('a');
    expect(cache.size).toBe(1);
  });

  it('keepFallback stores a value that is never fresh', () => {
    const cache = new NearCache(roomy);
    cache.keepFallback('k', stored('v'), 100, 1_000);
    expect(cache.get('k', codec, 100)).toBeUndefined();
    expect(cache.fallback('k', codec, 1_099, 10_000)?.value).toBe('v');
    cache.keepFallback('j', stored('w'), 100, 0);
    expect(cache.size).toBe(1);
  });

  it('a throttle runs until its end, is not restarted while it runs, and ends on a push or a flush', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 100, 10_000);
    const error = new Error('db down');
    cache.throttle('k', 200, { until: 1_200, error, cause: 'loader' });
    cache.throttle('k', 300, { until: 1_300, error: new Error('other'), cause: 'timeout' });
    expect(cache.throttleOf('k', 1_199)).toEqual({ until: 1_200, error, cause: 'loader' });
    expect(cache.throttleOf('k', 1_200)).toBeUndefined();
    cache.throttle('k', 1_300, { until: 2_300, error, cause: 'loader' });
    cache.demote('k', 1_400);
    expect(cache.throttleOf('k', 1_500)).toBeUndefined();
    cache.throttle('k', 1_600, { until: 2_600, error, cause: 'loader' });
    cache.demoteAll(1_700);
    expect(cache.throttleOf('k', 1_800)).toBeUndefined();
    expect(cache.fallback('k', codec, 1_800, 60_000)?.value).toBe('v');
  });

  it('fallbacks count against maxEntries and maxBytes, and a demoted entry loses its second chance', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000 });
    cache.set('old', stored('o'), 10_000, 60_000);
    cache.set('fresh', stored('f'), 10_000, 60_000);
    cache.get('old', codec, 0);
    cache.demote('old', 0);
    cache.get('fresh', codec, 0);
    cache.set('new', stored('n'), 10_000, 60_000);
    expect(cache.size).toBe(2);
    expect(cache.fallback('old', codec, 1, 60_000)).toBeUndefined();
    expect(cache.get('fresh', codec, 1)?.value).toBe('f');
    const bytes = new NearCache({ maxEntries: 100, maxBytes: 29 });
    bytes.set('a', stored('a', 14), 10, 60_000);
    bytes.set('b', stored('b', 14), 10_000);
    expect(bytes.fallback('a', codec, 100, 60_000)).toBeUndefined();
    expect(bytes.bytes).toBe(15);
  });

  it('delete removes a fallback too (a write of ours supersedes it)', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v'), 100, 60_000);
    cache.delete('k');
    expect(cache.fallback('k', codec, 200, 60_000)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
