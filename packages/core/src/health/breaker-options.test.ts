import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import { InvalidOptionsError } from '../errors/errors.js';
import type { Options } from '../options.js';

// The options of the command bound and the breaker (issue 11), as resolveOptions checks them.

function issuesOf(options: unknown): string[] {
  try {
    resolveOptions(options as Options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return [...error.issues];
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
}

describe('commandTimeoutMs and breaker', () => {
  it('default to a 1 000 ms bound, 3 timeouts and a probe a second', () => {
    const resolved = resolveOptions({});
    expect(resolved.commandTimeoutMs).toBe(1_000);
    expect(resolved.breaker).toEqual({ timeouts: 3, probeIntervalMs: 1_000 });
  });

  it('take false for no bound, round a fractional bound up, and fill in a partial breaker', () => {
    expect(resolveOptions({ commandTimeoutMs: false }).commandTimeoutMs).toBe(false);
    expect(resolveOptions({ commandTimeoutMs: 2.5 }).commandTimeoutMs).toBe(3);
    expect(resolveOptions({ breaker: { timeouts: 5 } }).breaker).toEqual({
      timeouts: 5,
      probeIntervalMs: 1_000,
    });
  });

  it.each([
    [{ commandTimeoutMs: 0 }, 'commandTimeoutMs: must be greater than 0'],
    [{ commandTimeoutMs: Number.POSITIVE_INFINITY }, 'commandTimeoutMs: must be a finite number'],
    [{ commandTimeoutMs: 2 ** 31 }, 'commandTimeoutMs: must be at most 2147483647 ms'],
    [{ commandTimeoutMs: true }, 'commandTimeoutMs: must be false or a number of ms'],
    [{ breaker: { timeouts: 0 } }, 'breaker.timeouts: must be greater than 0'],
    [{ breaker: { timeouts: 1.5 } }, 'breaker.timeouts: must be an integer'],
    [{ breaker: { probeIntervalMs: -1 } }, 'breaker.probeIntervalMs: must be greater than 0'],
    [{ breaker: { probeIntervalMs: 2 ** 31 } }, 'breaker.probeIntervalMs: must be at most'],
    [{ breaker: { timeout: 3 } }, 'breaker: Unrecognized key: "timeout"'],
    [{ breaker: false }, 'breaker:'],
  ])('refuse %j, naming the option', (options, message) => {
    expect(issuesOf(options).some((issue) => issue.startsWith(message))).toBe(true);
  });
});
