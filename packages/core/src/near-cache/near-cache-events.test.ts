import { describe, expect, it } from 'vitest';
import type { NearCacheEvents } from './entry.js';
import { NearCache } from './near-cache.js';

const codec = { name: 'A' };
const stored = (bytes = 10) => ({ value: 'v', codec, raw: new Uint8Array(bytes), deltaNs: 0 });

/** A near cache whose evictions and expirations are recorded, one line per event. */
function recorded(limits = { maxEntries: 100, maxBytes: 1_000_000 }) {
  const events: string[] = [];
  const sink: NearCacheEvents = {
    nearEvictions: (n) => events.push(`evicted ${n}`),
    nearExpirations: (n) => events.push(`expired ${n}`),
  };
  return { cache: new NearCache(limits, sink), events };
}

describe('NearCache events: nearEvictions and nearExpirations', () => {
  it('counts the entries evicted to stay within maxEntries, once per store that made room', () => {
    const { cache, events } = recorded({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored(), 10_000);
    cache.set('b', stored(), 10_000);
    expect(events).toEqual([]);
    cache.set('c', stored(), 10_000);
    cache.set('d', stored(), 10_000);
    expect(events).toEqual(['evicted 1', 'evicted 1']);
    expect(cache.size).toBe(2);
  });

  it('counts every entry one store evicts to stay within maxBytes, as one event', () => {
    const { cache, events } = recorded({ maxEntries: 100, maxBytes: 40 });
    for (const key of ['a', 'b', 'c']) cache.set(key, stored(9), 10_000); // 10 bytes each with the key
    cache.set('big', stored(30), 10_000); // 33 bytes: all three go
    expect(events).toEqual(['evicted 3']);
    expect(cache.size).toBe(1);
  });

  it('counts an entry past its ttl found by a lookup as an expiration, once', () => {
    const { cache, events } = recorded();
    cache.set('k', stored(), 1_000);
    expect(cache.hit('k', codec, 999)).toBeGreaterThanOrEqual(0);
    expect(cache.hit('k', codec, 1_000)).toBe(-1);
    expect(cache.get('k', codec, 1_001)).toBeUndefined();
    expect(events).toEqual(['expired 1']);
  });

  it('an entry kept as a fallback expires only once past its fail-safe window', () => {
    const { cache, events } = recorded();
    cache.set('k', stored(), 1_000, 500);
    expect(cache.hit('k', codec, 1_200)).toBe(-1);
    expect(events).toEqual([]);
    expect(cache.fallback('k', codec, 1_500, 10_000)).toBeUndefined();
    expect(events).toEqual(['expired 1']);
  });

  it('a flush reaching entries past their ttl counts them as expirations; fresh ones it only demotes', () => {
    const { cache, events } = recorded();
    cache.set('old', stored(), 1_000);
    cache.set('older', stored(), 500);
    cache.set('fresh', stored(), 10_000);
    cache.demoteAll(2_000);
    expect(events).toEqual(['expired 1', 'expired 1']);
    expect(cache.size).toBe(0);
  });

  it('replacing, deleting, a push on a fresh entry, clear and close count nothing', () => {
    const { cache, events } = recorded();
    cache.set('k', stored(), 10_000);
    cache.set('k', stored(), 10_000);
    cache.delete('k');
    cache.set('pushed', stored(), 10_000);
    cache.demote('pushed', 100);
    cache.set('cleared', stored(), 10_000);
    cache.clear();
    cache.set('closed', stored(), 10_000);
    cache.close();
    expect(events).toEqual([]);
  });

  it('an entry evicted while past its ttl is an eviction, not an expiration', () => {
    const { cache, events } = recorded({ maxEntries: 1, maxBytes: 1_000_000 });
    cache.set('a', stored(), 1_000);
    cache.set('b', stored(), 10_000);
    expect(events).toEqual(['evicted 1']);
  });
});
