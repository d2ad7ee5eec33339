import { describe, expect, it, vi } from 'vitest';
import { flush, useFakeTimedServer } from '../test-support/engine-process.js';

// A refresh loader that ignores its signal (issue 10, defect 8).

const env = useFakeTimedServer({});

describe('refresh-ahead workers', () => {
  it('defect 8: a refresh loader that ignores its signal frees its worker at the refresh timeout: refresh-ahead goes on', async () => {
    const a = env.start({ refreshAfterFraction: 0.5, refreshWorkers: 1, refreshTimeoutMs: 200 });
    expect(await a.cache.get('stuck', 1_000, async () => 's0')).toBe('s0');
    expect(await a.cache.get('next', 1_000, async () => 'n0')).toBe('n0');
    await vi.advanceTimersByTimeAsync(600);
    // The only worker takes a refresh whose loader never settles and never looks at its signal.
    const stuck = vi.fn(() => new Promise<string>(() => {}));
    expect(await a.cache.get('stuck', 1_000, stuck)).toBe('s0');
    await flush();
    expect(stuck).toHaveBeenCalledTimes(1);
    // Past the refresh timeout, a stale hit of another key is refreshed by that worker.
    await vi.advanceTimersByTimeAsync(250);
    const refreshed = vi.fn(async () => 'n1');
    expect(await a.cache.get('next', 1_000, refreshed)).toBe('n0');
    await flush();
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect(await a.cache.peek('next', 1_000)).toEqual({ found: true, value: 'n1' });
  });
});
