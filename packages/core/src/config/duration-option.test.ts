import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors/errors.js';
import { callResilience } from '../fail-safe/call-resilience.js';
import type { Options } from '../options.js';
import { resolveOptions } from './resolve-options.js';

function issuesOf(options: unknown): string[] {
  try {
    resolveOptions(options as Options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return [...error.issues];
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
}

describe('duration options take a Duration', () => {
  it('takes strings for every length of time, giving ms', () => {
    const resolved = resolveOptions({
      lockTTLMs: '10s',
      refreshTimeoutMs: '1.5s',
      commandTimeoutMs: '250ms',
      breaker: { probeIntervalMs: '2s' },
      failSafe: { maxStaleMs: '1h', throttleMs: '5s' },
      loaderTimeout: { softMs: '100ms', hardMs: '1m' },
    });
    expect(resolved.lockTTLMs).toBe(10_000);
    expect(resolved.refreshTimeoutMs).toBe(1_500);
    expect(resolved.commandTimeoutMs).toBe(250);
    expect(resolved.breaker.probeIntervalMs).toBe(2_000);
    expect(resolved.failSafe).toEqual({ maxStaleMs: 3_600_000, throttleMs: 5_000 });
    expect(resolved.loaderTimeout).toEqual({ softMs: 100, hardMs: 60_000 });
  });

  it('keeps numbers as milliseconds, and the defaults as they were', () => {
    const resolved = resolveOptions({ lockTTLMs: 500, failSafe: { maxStaleMs: 60_000 } });
    expect(resolved.lockTTLMs).toBe(500);
    expect(resolved.failSafe).toEqual({ maxStaleMs: 60_000, throttleMs: 1_000 });
    expect(resolveOptions({}).commandTimeoutMs).toBe(1_000);
    expect(resolveOptions({}).breaker.probeIntervalMs).toBe(1_000);
  });

  it("throttleMs may be '0s' (no pause); a timer may not", () => {
    expect(resolveOptions({ failSafe: { maxStaleMs: '1m', throttleMs: '0s' } }).failSafe).toEqual({
      maxStaleMs: 60_000,
      throttleMs: 0,
    });
    expect(issuesOf({ failSafe: { maxStaleMs: '0s' } })).toEqual([
      'failSafe.maxStaleMs: must be greater than 0',
    ]);
  });

  it.each([
    [{ lockTTLMs: '5 minutes' }, 'lockTTLMs: must be a number of ms, or a number and a unit', 'write "5m"'],
    [{ lockTTLMs: '50ms' }, 'lockTTLMs: must be at least 100 ms to avoid lock churn', undefined],
    [{ refreshTimeoutMs: '-1s' }, 'refreshTimeoutMs: must be a number of ms', '"-1s"'],
    [{ refreshTimeoutMs: '25d' }, 'refreshTimeoutMs: must be at most 2147483647 ms', undefined],
    [{ commandTimeoutMs: '' }, 'commandTimeoutMs: must be false or a number of ms', 'got ""'],
    [{ commandTimeoutMs: 'off' }, 'commandTimeoutMs: must be false or a number of ms', 'got "off"'],
    [
      { breaker: { probeIntervalMs: '1 sec' } },
      'breaker.probeIntervalMs: must be a number of ms',
      'write "1s"',
    ],
    [{ failSafe: { maxStaleMs: '10x' } }, 'failSafe.maxStaleMs: must be a number of ms', 'got "10x"'],
    [
      { failSafe: { maxStaleMs: '1m', throttleMs: '-5s' } },
      'failSafe.throttleMs: must be a number of ms',
      '"-5s"',
    ],
    [{ loaderTimeout: { softMs: '0s' } }, 'loaderTimeout.softMs: must be greater than 0', undefined],
    [{ loaderTimeout: { hardMs: null } }, 'loaderTimeout.hardMs: must be a number of ms', 'got null'],
  ])('refuses %j with InvalidOptionsError naming the option', (options, start, mention) => {
    const issues = issuesOf(options);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(start);
    if (mention !== undefined) expect(issues[0]).toContain(mention);
  });

  it('compares softMs and hardMs as durations', () => {
    expect(issuesOf({ loaderTimeout: { softMs: '2s', hardMs: 1_500 } })).toEqual([
      'loaderTimeout: softMs must be less than hardMs',
    ]);
    expect(resolveOptions({ loaderTimeout: { softMs: 900, hardMs: '1s' } }).loaderTimeout).toEqual({
      softMs: 900,
      hardMs: 1_000,
    });
  });

  it("a call's own failSafe and loaderTimeout take durations too, and name the option, op and key when wrong", () => {
    const options = resolveOptions({});
    const own = callResilience(
      options,
      { failSafe: { maxStaleMs: '30s' }, loaderTimeout: { hardMs: '2s' } },
      'get',
      'k',
    );
    expect(own.failSafe).toEqual({ maxStaleMs: 30_000, throttleMs: 1_000 });
    expect(own.loaderTimeout).toEqual({ hardMs: 2_000 });
    expect(own.staleMs).toBe(30_000);
    let error: unknown;
    try {
      callResilience(options, { loaderTimeout: { softMs: '2 seconds' } } as never, 'getMulti', ['a']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).issues[0]).toContain(
      'getMulti key ["a"]: loaderTimeout.softMs: must be a number of ms',
    );
    expect((error as InvalidOptionsError).issues[0]).toContain('write "2s"');
  });
});

describe('one issue per wrong option', () => {
  it('a wrong softMs beside a hardMs is one issue, not also "softMs must be less than hardMs"', () => {
    expect(issuesOf({ loaderTimeout: { softMs: 'soon', hardMs: '1s' } })).toEqual([
      "loaderTimeout.softMs: must be a number of ms, or a number and a unit (ms, s, m, h, d) such as '250ms', '90s', '1.5m', '1h', '7d', got \"soon\"",
    ]);
  });

  it('every wrong option is named at once', () => {
    const issues = issuesOf({
      lockTTLMs: '1 minute',
      commandTimeoutMs: '0ms',
      failSafe: { maxStaleMs: 'x' },
    });
    expect(issues.map((issue) => issue.split(':')[0])).toEqual([
      'lockTTLMs',
      'commandTimeoutMs',
      'failSafe.maxStaleMs',
    ]);
  });
});
