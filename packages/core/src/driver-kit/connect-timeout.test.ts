import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../config/max-timer.js';
import { InvalidOptionsError } from '../errors/errors.js';
import { connectTimeoutOf, DEFAULT_CONNECT_TIMEOUT_MS } from './connect-timeout.js';

describe('connectTimeoutOf', () => {
  it('gives the default (5 s) when the option is left out', () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(5_000);
    expect(connectTimeoutOf(undefined)).toBe(DEFAULT_CONNECT_TIMEOUT_MS);
  });

  it('keeps a whole number of ms from 1 to MAX_TIMER_MS', () => {
    for (const ms of [1, 250, MAX_TIMER_MS]) expect(connectTimeoutOf(ms)).toBe(ms);
  });

  it('throws InvalidOptionsError naming connectTimeoutMs for anything else', () => {
    for (const bad of [0, -1, 1.5, MAX_TIMER_MS + 1, Number.NaN, Number.POSITIVE_INFINITY, '500', null]) {
      let thrown: unknown;
      try {
        connectTimeoutOf(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, String(bad)).toBeInstanceOf(InvalidOptionsError);
      expect((thrown as InvalidOptionsError).issues).toEqual([
        `connectTimeoutMs: must be a positive integer (ms), at most ${MAX_TIMER_MS}; got ${String(bad)}`,
      ]);
    }
  });
});
