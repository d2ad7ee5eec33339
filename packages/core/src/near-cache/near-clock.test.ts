import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NearCache } from './near-cache.js';
import { nearClockSaw, nearNow } from './near-clock.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Burns `ms` of wall-clock time without letting the event loop turn. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

describe('nearNow', () => {
  it('keeps one reading while the event loop does not turn, and reads the clock again after 1 ms', async () => {
    await realSleep(2); // whatever an earlier test read has gone
    const first = nearNow();
    spin(2);
    expect(nearNow()).toBe(first);
    await realSleep(2);
    expect(nearNow()).toBeGreaterThan(first + 2);
  });

  it('reads the clock again after 1024 readings, even when the event loop never turned', () => {
    const first = nearNow();
    spin(2);
    let last = first;
    for (let i = 0; i < 1024 && last === first; i++) last = nearNow();
    expect(last).toBeGreaterThan(first);
  });

  it('under fake timers reads the fake clock every time (it jumps without a turn) and leaves no fake timer', () => {
    nearNow();
    vi.useFakeTimers();
    expect(nearNow()).toBe(performance.now());
    vi.advanceTimersByTime(5_000);
    expect(nearNow()).toBe(performance.now());
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    expect(Math.abs(nearNow() - performance.now())).toBeLessThan(1_000);
  });

  it('never runs behind a time the near cache was given', () => {
    const reading = nearNow();
    nearClockSaw(reading + 5);
    expect(nearNow()).toBe(reading + 5);
    nearClockSaw(reading);
    expect(nearNow()).toBe(reading + 5);
  });
});

describe('the near cache on nearNow', () => {
  const codec = {};
  const stored = { value: 'v', codec, raw: new Uint8Array(1), deltaNs: 0 };

  it('a push read after the clock was read makes the entry no hit at once, fallback or not', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    const now = nearNow();
    cache.set('k', stored, now + 60_000, 10_000); // fail-safe: the demoted entry stays, as a fallback
    expect(cache.hit('k', codec, nearNow())).toBeGreaterThanOrEqual(0);
    cache.demote('k', now + 0.5); // the push, read 0.5 ms after the clock
    expect(cache.hit('k', codec, nearNow())).toBe(-1);
  });

  it('a fallback kept at a later time than the clock read is no hit', () => {
    const cache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    const now = nearNow();
    cache.keepFallback('k', stored, now + 0.5, 10_000);
    expect(cache.hit('k', codec, nearNow())).toBe(-1);
    expect(cache.fallback('k', codec, now + 0.5, 10_000)?.value).toBe('v');
  });
});
