import { describe, expect, it } from 'vitest';
import { shouldRefresh } from './xfetch.js';

/** A seeded PRNG (mulberry32): the statistical cases are repeatable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ms = 1e6;
const rate = (
  policy: { fraction: number; beta: number },
  remaining: number,
  deltaMs: number,
  trials: number,
  seed: number,
) => {
  const random = seeded(seed);
  let refreshed = 0;
  for (let i = 0; i < trials; i++)
    if (shouldRefresh(policy, remaining, 1000, deltaMs * ms, random)) refreshed++;
  return refreshed;
};

describe('shouldRefresh (XFetch behind a floor)', () => {
  const never = () => {
    throw new Error('random must not be drawn');
  };

  it('is off when the fraction is 0', () => {
    expect(shouldRefresh({ fraction: 0, beta: 1 }, 1, 1000, 100 * ms, never)).toBe(false);
  });

  it.each([0, -1])('is off when the remaining life is %d (expired or unknown)', (remaining) => {
    expect(shouldRefresh({ fraction: 0.8, beta: 1 }, remaining, 1000, 100 * ms, never)).toBe(false);
  });

  it('never refreshes at or above the floor (ttl 1 s, fraction 0.8: floor 200 ms)', () => {
    expect(shouldRefresh({ fraction: 0.8, beta: 0 }, 500, 1000, 0, never)).toBe(false);
    expect(shouldRefresh({ fraction: 0.8, beta: 0 }, 200, 1000, 0, never)).toBe(false);
  });

  it('below the floor, beta 0 or an unknown compute time refresh deterministically', () => {
    expect(shouldRefresh({ fraction: 0.8, beta: 0 }, 100, 1000, 50 * ms, never)).toBe(true);
    expect(shouldRefresh({ fraction: 0.8, beta: 1 }, 100, 1000, 0, never)).toBe(true);
    expect(shouldRefresh({ fraction: 0.8, beta: 0 }, 199, 1000, 0, never)).toBe(true);
  });

  it('refreshes almost always when little life is left on a slow value (r 1 ms, delta 100 ms: >= 95 %)', () => {
    expect(rate({ fraction: 0.8, beta: 1 }, 1, 100, 5000, 1)).toBeGreaterThanOrEqual(4750);
  });

  it('almost never just below the floor on a fast value (r 199 ms, delta 1 ms: <= 5 in 5000)', () => {
    expect(rate({ fraction: 0.8, beta: 1 }, 199, 1, 5000, 2)).toBeLessThanOrEqual(5);
  });

  it('a larger beta refreshes more (r 50 ms, delta 10 ms: beta 10 > beta 1)', () => {
    const beta1 = rate({ fraction: 0.8, beta: 1 }, 50, 10, 5000, 3);
    const beta10 = rate({ fraction: 0.8, beta: 10 }, 50, 10, 5000, 3);
    expect(beta10).toBeGreaterThan(beta1);
  });

  it('matches P = exp(-r / (delta * beta)) within sampling error', () => {
    const trials = 20_000;
    const observed = rate({ fraction: 0.8, beta: 2 }, 30, 15, trials, 4) / trials;
    const expected = Math.exp(-30 / (15 * 2));
    expect(Math.abs(observed - expected)).toBeLessThan(0.015);
  });
});
