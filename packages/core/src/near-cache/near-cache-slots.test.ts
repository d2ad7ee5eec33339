import { describe, expect, it } from 'vitest';
import { NearCache } from './near-cache.js';

const codec = { name: 'A' };
const stored = (value: unknown, bytes = 10) => ({ value, codec, raw: new Uint8Array(bytes), deltaNs: 7 });

describe('NearCache byte count', () => {
  it.each([
    ['é', 2],
    ['日本', 6],
    ['user:😀', 9],
    ['ascii', 5],
  ])('counts key %s as its UTF-8 length (%i bytes), not its UTF-16 length', (key, utf8) => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    cache.set(key, stored('v', 10), 1_000);
    expect(cache.bytes).toBe(10 + utf8);
    expect(cache.get(key, codec, 0)?.bytes).toBe(10 + utf8);
    cache.delete(key);
    expect(cache.bytes).toBe(0);
  });

  it('holds maxBytes in UTF-8: a multi-byte key that fits in UTF-16 units but not in bytes is refused', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 12 });
    cache.set('日本', stored('v', 8), 1_000); // 2 units, 6 bytes: 14 > 12
    expect(cache.size).toBe(0);
    cache.set('ab', stored('v', 8), 1_000);
    expect(cache.bytes).toBe(10);
  });
});

describe('NearCache hit path', () => {
  it('hit gives a slot to read the value, the stored record and the expiry from', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    const record = stored({ id: 1 });
    cache.set('k', record, 1_000, 0, true);
    const slot = cache.hit('k', codec, 10);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(cache.valueAt(slot)).toBe(record.value);
    expect(cache.storedAt(slot)).toEqual(record);
    expect(cache.storedAt(slot).raw).toBe(record.raw);
    expect(cache.expiresAtOf(slot)).toBe(1_000);
    expect(cache.hit('k', { name: 'A' }, 10)).toBe(-1);
    expect(cache.hit('k', codec, 1_000)).toBe(-1);
    expect(cache.size).toBe(0);
    // Without keepBytes (and no staleMs) the entry keeps the record's value, not its bytes.
    cache.set('j', record, 1_000);
    const kept = cache.storedAt(cache.hit('j', codec, 10));
    expect(kept).toMatchObject({ value: record.value, codec, deltaNs: 7 });
    expect(kept.raw).toBeUndefined();
  });

  it('a fallback is no hit', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    cache.set('k', stored('v'), 100, 1_000);
    expect(cache.hit('k', codec, 100)).toBe(-1);
    expect(cache.size).toBe(1);
  });

  it('grows past its first slots and reuses freed ones: every entry keeps its own value', () => {
    const cache = new NearCache({ maxEntries: 1_000, maxBytes: 1_000_000 });
    for (let i = 0; i < 500; i++) cache.set(`k${i}`, stored(i), 1_000);
    for (let i = 0; i < 500; i += 2) cache.delete(`k${i}`);
    for (let i = 500; i < 1_300; i++) cache.set(`k${i}`, stored(i), 1_000);
    expect(cache.size).toBe(1_000);
    let held = 0;
    for (let i = 0; i < 1_300; i++) {
      const slot = cache.hit(`k${i}`, codec, 0);
      if (slot < 0) continue;
      held++;
      expect(cache.valueAt(slot)).toBe(i);
    }
    expect(held).toBe(1_000);
    // Oldest first: the 50 evicted to make room are the oldest left after the deletes.
    for (let i = 1; i < 100; i += 2) expect(cache.hit(`k${i}`, codec, 0)).toBe(-1);
    expect(cache.hit('k101', codec, 0)).toBeGreaterThanOrEqual(0);
    let bytes = 0;
    for (let i = 0; i < 1_300; i++) if (cache.get(`k${i}`, codec, 0)) bytes += 10 + `k${i}`.length;
    expect(cache.bytes).toBe(bytes);
  });

  it('after clear, slots start over and old keys are gone', () => {
    const cache = new NearCache({ maxEntries: 100, maxBytes: 1_000_000 });
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, stored(i), 1_000);
    cache.clear();
    cache.set('new', stored('n'), 1_000);
    expect(cache.hit('k0', codec, 0)).toBe(-1);
    expect(cache.valueAt(cache.hit('new', codec, 0))).toBe('n');
    expect(cache.size).toBe(1);
  });

  it('a reused slot keeps none of the stored bytes or throttle of the entry it held before', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000_000 });
    for (let i = 0; i < 5; i++) cache.set(`plain${i}`, stored(i), 1_000);
    cache.set('kept', stored('k'), 1_000, 500, true);
    cache.throttle('kept', 0, { until: 2_000, error: new Error('x'), cause: 'loader' });
    expect(cache.throttleOf('kept', 0)).toBeDefined();
    expect(cache.storedAt(cache.hit('kept', codec, 0)).raw).toBeDefined();
    cache.delete('kept');
    cache.set('next', stored('n'), 1_000); // takes the slot 'kept' let go
    const slot = cache.hit('next', codec, 0);
    expect(cache.storedAt(slot).raw).toBeUndefined();
    expect(cache.throttleOf('next', 0)).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(cache.storedAt(cache.hit(`plain${i}`, codec, 0)).raw).toBeUndefined();
  });
});
