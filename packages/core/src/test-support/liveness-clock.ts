import { afterEach, beforeEach, vi } from 'vitest';
import { flush } from './promise-state.js';

/**
 * Fake `setTimeout` for the liveness-check tests of the file that calls it; `setImmediate`
 * stays real, since a check judges its deadline after pending I/O (`afterPendingIo`). Returns
 * how to move the clock on and let the checks judged after it run.
 */
export function useLivenessClock(): (ms: number) => Promise<void> {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return async (ms) => {
    await vi.advanceTimersByTimeAsync(ms);
    await flush();
  };
}
