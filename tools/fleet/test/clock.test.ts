import { describe, expect, it } from 'vitest';
import { sleepUntil, wallClockMs } from '../src/index.js';

describe('sleepUntil', () => {
  it('never returns before the instant (a timer may fire up to a millisecond early)', async () => {
    let early = 0;
    for (let i = 0; i < 40; i++) {
      const at = wallClockMs() + 2 + (i % 10) / 10;
      await sleepUntil(at);
      if (wallClockMs() < at) early++;
    }
    expect(early).toBe(0);
  });
});
