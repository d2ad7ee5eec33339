import { describe, expect, it } from 'vitest';
import { NearCache } from './near-cache.js';

/** A near-cache value of `bytes` stored bytes. */
const stored = (value: unknown, codec: object, bytes: number) => ({
  value,
  codec,
  raw: new Uint8Array(bytes),
  deltaNs: 0,
});

const codecA = { name: 'A' };
const codecB = { name: 'B' };
const roomy = { maxEntries: 100, maxBytes: 1_000_000 };

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('NearCache.get', () => {
  it('returns the entry for the codec object that stored it', () => {
    const cache = new NearCache(roomy);
    const value = { id: 1 };
    cache.set('k', stored(value, codecA, 10), 1000);
    const entry = cache.get('k', codecA, 0);
    expect(entry?.value).toBe(value);
    expect(entry?.codec).toBe(codecA);
    expect(entry?.expiresAt).toBe(1000);
  });

  it('misses for another codec object, even a structurally equal one, and keeps the entry', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v', codecA, 10), 1000);
    expect(cache.get('k', codecB, 0)).toBeUndefined();
    expect(cache.get('k', { name: 'A' }, 0)).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.get('k', codecA, 0)?.value).toBe('v');
  });

  it('misses for an unknown key', () => {
    const cache = new NearCache(roomy);
    expect(cache.get('nope', codecA, 0)).toBeUndefined();
  });

  it('serves the entry just before expiresAt', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v', codecA, 10), 1000);
    expect(cache.get('k', codecA, 999.999)?.value).toBe('v');
  });

  it.each([1000, 1000.5, 5000])(
    'deletes an entry read at now=%d (expiresAt 1000) and releases its bytes',
    (now) => {
      const cache = new NearCache(roomy);
      cache.set('k', stored('v', codecA, 10), 1000);
      cache.set('other', stored('w', codecA, 20), 10_000);
      expect(cache.bytes).toBe(10 + 1 + 20 + 5);
      expect(cache.get('k', codecA, now)).toBeUndefined();
      expect(cache.size).toBe(1);
      expect(cache.bytes).toBe(20 + 5);
      // Gone for good: an earlier clock does not bring it back.
      expect(cache.get('k', codecA, 0)).toBeUndefined();
    },
  );

  it('marks the entry used', () => {
    const cache = new NearCache(roomy);
    cache.set('k', stored('v', codecA, 10), 1000);
    expect(cache.get('k', codecA, 0)?.used).toBe(true);
  });
});

describe('NearCache.set', () => {
  it('starts empty', () => {
    const cache = new NearCache(roomy);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('counts payload bytes plus key length per entry, stored fresh (not used)', () => {
    const cache = new NearCache(roomy);
    cache.set('abc', stored('v', codecA, 7), 1000);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(7 + 3);
    cache.set('de', stored('w', codecA, 0), 1000);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(10 + 2);
  });

  it('replaces an existing key: the new value, codec and expiry, and consistent size/bytes', () => {
    const cache = new NearCache(roomy);
    cache.set('key', stored('old', codecA, 100), 1000);
    cache.set('key', stored('new', codecB, 40), 2000);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(40 + 3);
    expect(cache.get('key', codecA, 0)).toBeUndefined();
    const entry = cache.get('key', codecB, 1500);
    expect(entry?.value).toBe('new');
    expect(entry?.bytes).toBe(43);
  });

  it('stores a value of exactly maxBytes (payload + key)', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 100 });
    cache.set('k', stored('v', codecA, 99), 1000);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(100);
  });

  it('does not store a value larger than maxBytes, and keeps the others', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 100 });
    cache.set('a', stored('small', codecA, 10), 1000);
    cache.set('k', stored('huge', codecA, 100), 1000);
    expect(cache.get('k', codecA, 0)).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(11);
    expect(cache.get('a', codecA, 0)?.value).toBe('small');
  });

  it('removes the previous entry of a key whose new value is too large', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 100 });
    cache.set('k', stored('old', codecA, 10), 1000);
    cache.set('other', stored('o', codecA, 10), 1000);
    cache.set('k', stored('huge', codecA, 100), 1000);
    expect(cache.get('k', codecA, 0)).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(15);
  });

  it('never holds more than maxEntries after a set', () => {
    const cache = new NearCache({ maxEntries: 3, maxBytes: 1_000_000 });
    for (let i = 0; i < 10; i++) {
      cache.set(`k${i}`, stored(i, codecA, 1), 1000);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(cache.size).toBe(3);
    // Nothing was read: eviction is oldest first.
    expect([7, 8, 9].map((i) => cache.get(`k${i}`, codecA, 0)?.value)).toEqual([7, 8, 9]);
    expect(cache.bytes).toBe(3 * (1 + 2));
  });

  it('never holds more than maxBytes after a set, evicting oldest first', () => {
    const cache = new NearCache({ maxEntries: 100, maxBytes: 50 });
    cache.set('a', stored('a', codecA, 19), 1000); // 20
    cache.set('b', stored('b', codecA, 19), 1000); // 40
    cache.set('c', stored('c', codecA, 19), 1000); // 60 > 50: a goes
    expect(cache.bytes).toBe(40);
    expect(cache.size).toBe(2);
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    cache.set('d', stored('d', codecA, 49), 1000); // 20 + 20 + 50 = 90: b and c go
    expect(cache.bytes).toBe(50);
    expect(cache.size).toBe(1);
    expect(cache.get('d', codecA, 0)?.value).toBe('d');
  });

  it('evicts several small entries to make room for one large one', () => {
    const cache = new NearCache({ maxEntries: 100, maxBytes: 100 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, stored(i, codecA, 8), 1000); // 10 bytes each
    expect(cache.bytes).toBe(100);
    cache.set('big', stored('B', codecA, 57), 1000); // 60
    expect(cache.bytes).toBe(100);
    expect(cache.size).toBe(5);
    expect(cache.get('k5', codecA, 0)).toBeUndefined();
    expect(cache.get('k6', codecA, 0)?.value).toBe(6);
    expect(cache.get('big', codecA, 0)?.value).toBe('B');
  });
});

describe('NearCache CLOCK eviction', () => {
  it('gives an entry read since the last pass a second chance, and evicts the unread older one', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored('A', codecA, 1), 1000);
    cache.set('b', stored('B', codecA, 1), 1000);
    expect(cache.get('a', codecA, 0)).toBeDefined();
    cache.set('c', stored('C', codecA, 1), 1000);
    expect(cache.size).toBe(2);
    expect(cache.get('b', codecA, 0)).toBeUndefined();
    expect(cache.get('a', codecA, 0)?.value).toBe('A');
    expect(cache.get('c', codecA, 0)?.value).toBe('C');
  });

  it('gives only one chance: the pass clears the bit, so an entry not read again goes later', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored('A', codecA, 1), 1000);
    cache.set('b', stored('B', codecA, 1), 1000);
    cache.get('a', codecA, 0);
    cache.set('c', stored('C', codecA, 1), 1000); // b evicted, a's bit cleared; order c, a
    cache.set('d', stored('D', codecA, 1), 1000); // c evicted (unread, older than a's new position)
    cache.set('e', stored('E', codecA, 1), 1000); // a evicted: its second chance was used
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    expect(cache.get('c', codecA, 0)).toBeUndefined();
    expect(cache.get('d', codecA, 0)?.value).toBe('D');
    expect(cache.get('e', codecA, 0)?.value).toBe('E');
  });

  it('a read with another codec does not count as use', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored('A', codecA, 1), 1000);
    cache.set('b', stored('B', codecA, 1), 1000);
    expect(cache.get('a', codecB, 0)).toBeUndefined();
    cache.set('c', stored('C', codecA, 1), 1000);
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    expect(cache.get('b', codecA, 0)?.value).toBe('B');
  });

  it('replacing a read entry resets its bit (the replacement is a new, unread entry)', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored('A1', codecA, 1), 1000);
    cache.set('b', stored('B', codecA, 1), 1000);
    cache.get('a', codecA, 0);
    cache.set('a', stored('A2', codecA, 1), 1000); // order b, a (unread)
    cache.set('c', stored('C', codecA, 1), 1000); // b is oldest and unread
    expect(cache.get('b', codecA, 0)).toBeUndefined();
    expect(cache.get('a', codecA, 0)?.value).toBe('A2');
  });

  // Room is made before the newcomer goes in: when every older entry was read since the last
  // pass, the pass clears their bits and the oldest goes, never the newcomer.
  it('a newcomer survives when every older entry was read; the oldest goes', () => {
    const cache = new NearCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set('a', stored('A', codecA, 1), 1000);
    cache.set('b', stored('B', codecA, 1), 1000);
    cache.get('a', codecA, 0);
    cache.get('b', codecA, 0);
    cache.set('c', stored('C', codecA, 1), 1000);
    expect(cache.size).toBe(2);
    expect(cache.get('c', codecA, 0)?.value).toBe('C');
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    expect(cache.get('b', codecA, 0)?.value).toBe('B');
  });

  it('terminates and respects the byte bound when every entry was read', () => {
    const cache = new NearCache({ maxEntries: 100, maxBytes: 30 });
    cache.set('a', stored('A', codecA, 9), 1000);
    cache.set('b', stored('B', codecA, 9), 1000);
    cache.set('c', stored('C', codecA, 9), 1000);
    for (const k of ['a', 'b', 'c']) cache.get(k, codecA, 0);
    cache.set('d', stored('D', codecA, 19), 1000);
    expect(cache.bytes).toBeLessThanOrEqual(30);
  });
});

describe('NearCache.delete and clear', () => {
  it('delete removes one entry and its bytes; deleting a missing key is a no-op', () => {
    const cache = new NearCache(roomy);
    cache.set('a', stored('A', codecA, 10), 1000);
    cache.set('bb', stored('B', codecA, 20), 1000);
    cache.delete('a');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(22);
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    cache.delete('a');
    cache.delete('never');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(22);
  });

  it('clear empties everything, and the cache works afterwards', () => {
    const cache = new NearCache(roomy);
    cache.set('a', stored('A', codecA, 10), 1000);
    cache.set('b', stored('B', codecA, 20), 1000);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(cache.get('a', codecA, 0)).toBeUndefined();
    cache.set('c', stored('C', codecA, 5), 1000);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(6);
  });
});

describe('NearCache invariants under random operations', () => {
  interface Shadow {
    readonly value: number;
    readonly codec: object;
    readonly size: number;
    readonly expiresAt: number;
  }

  it.each([1, 2, 3, 42, 2024])('holds size, byte and content invariants (seed %i)', (seed) => {
    const random = prng(seed);
    const limits = { maxEntries: 8, maxBytes: 200 };
    const cache = new NearCache(limits);
    const codecs = [codecA, codecB];
    const keys = Array.from({ length: 24 }, (_, i) => `key:${i}`.repeat(1 + (i % 3)));
    // What the cache may hold: the last value set per key, unless deleted or refused since.
    const shadow = new Map<string, Shadow>();
    let now = 0;
    let counter = 0;
    let probes = 0;
    let hits = 0;

    const probe = () => {
      probes++;
      let sum = 0;
      let live = 0;
      for (const key of keys) {
        const expected = shadow.get(key);
        if (expected === undefined) continue;
        const entry = cache.get(key, expected.codec, now);
        if (entry === undefined) {
          // Evicted or expired: with the codec that stored it, a miss means it is gone.
          shadow.delete(key);
          continue;
        }
        hits++;
        expect(expected.expiresAt).toBeGreaterThan(now);
        expect(entry.value).toBe(expected.value);
        expect(entry.bytes).toBe(expected.size);
        sum += entry.bytes;
        live++;
      }
      expect(cache.size).toBe(live);
      expect(cache.bytes).toBe(sum);
    };

    for (let step = 0; step < 3000; step++) {
      const roll = random();
      const key = keys[Math.floor(random() * keys.length)]!;
      if (roll < 0.55) {
        const payload = Math.floor(random() * 70);
        const codec = codecs[Math.floor(random() * codecs.length)]!;
        const expiresAt = now + 1 + Math.floor(random() * 500);
        const value = counter++;
        cache.set(key, stored(value, codec, payload), expiresAt);
        const size = payload + key.length;
        if (size > limits.maxBytes) shadow.delete(key);
        else shadow.set(key, { value, codec, size, expiresAt });
      } else if (roll < 0.85) {
        const expected = shadow.get(key);
        const codec = random() < 0.8 && expected !== undefined ? expected.codec : codecs[step % 2]!;
        const entry = cache.get(key, codec, now);
        if (entry !== undefined) {
          expect(expected).toBeDefined();
          expect(entry.codec).toBe(expected?.codec);
          expect(entry.value).toBe(expected?.value);
          expect(entry.expiresAt).toBeGreaterThan(now);
        } else if (expected !== undefined && expected.codec === codec && expected.expiresAt <= now) {
          shadow.delete(key);
        }
      } else if (roll < 0.95) {
        cache.delete(key);
        shadow.delete(key);
      } else if (roll < 0.99) {
        now += Math.floor(random() * 60);
      } else {
        cache.clear();
        shadow.clear();
      }

      expect(cache.size).toBeLessThanOrEqual(limits.maxEntries);
      expect(cache.bytes).toBeLessThanOrEqual(limits.maxBytes);
      expect(cache.bytes).toBeGreaterThanOrEqual(0);
      if (cache.size === 0) expect(cache.bytes).toBe(0);
      let upper = 0;
      for (const s of shadow.values()) upper += s.size;
      expect(cache.bytes).toBeLessThanOrEqual(upper);
      if (step % 25 === 0) probe();
    }
    probe();
    // The run must have exercised the cache, not only refused or evicted everything.
    expect(probes).toBeGreaterThan(100);
    expect(hits).toBeGreaterThan(100);
  });
});
