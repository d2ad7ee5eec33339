import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  it('pops deadlines earliest first', () => {
    const queue = new ExpiryQueue();
    const deadlines = [50, 10, 40, 10, 30, 20, 60, 0];
    for (const [i, at] of deadlines.entries()) queue.push(`k${i}`, at);
    const popped: number[] = [];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(next.at);
    expect(popped).toEqual([...deadlines].sort((a, b) => a - b));
    expect(queue.peek()).toBeUndefined();
  });
});
