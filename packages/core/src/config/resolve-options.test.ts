import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, RedcacheError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import { NoopMetrics } from '../metrics.js';
import type { Options } from '../options.js';
import { ENVELOPE_PREFIX } from '../wire/envelope.js';
import { MAX_TIMER_MS } from './max-timer.js';
import { resolveOptions } from './resolve-options.js';

function rejection(options: unknown): InvalidOptionsError {
  try {
    resolveOptions(options as Options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
}

describe('resolveOptions: defaults', () => {
  it.each([
    ['no options', undefined],
    ['an empty object', {}],
  ])('fills in every default for %s', (_label, options) => {
    const resolved = resolveOptions(options);
    expect(resolved.lockTTLMs).toBe(10_000);
    expect(resolved.lockPrefix).toBe('__redcache:lock:');
    expect(resolved.refreshLockPrefix).toBe('__redcache:refresh:');
    expect(resolved.refreshAfterFraction).toBe(0);
    expect(resolved.refreshBeta).toBe(0);
    expect(resolved.refreshWorkers).toBe(4);
    expect(resolved.refreshQueueSize).toBe(64);
    expect(resolved.refreshTimeoutMs).toBeUndefined();
    expect(resolved.nearCache).toEqual({ maxEntries: expect.any(Number), maxBytes: expect.any(Number) });
    if (resolved.nearCache === false) throw new Error('near cache should be on by default');
    expect(resolved.nearCache.maxEntries).toBeGreaterThan(0);
    expect(resolved.nearCache.maxBytes).toBeGreaterThan(0);
    for (const method of ['debug', 'info', 'warn', 'error'] as const) {
      expect(typeof resolved.logger[method]).toBe('function');
    }
    expect(typeof resolved.metrics.cacheHits).toBe('function');
    expect(typeof resolved.metrics.invalidationError).toBe('function');
  });

  it('keeps the envelope prefix fixed', () => {
    expect(ENVELOPE_PREFIX).toBe('__redcache:v1:');
  });
});

describe('resolveOptions: accepted values', () => {
  it('accepts nearCache false', () => {
    expect(resolveOptions({ nearCache: false }).nearCache).toBe(false);
  });

  it('fills in the missing near-cache bound', () => {
    const defaults = resolveOptions({}).nearCache;
    if (defaults === false) throw new Error('near cache should be on by default');
    expect(resolveOptions({ nearCache: { maxEntries: 5 } }).nearCache).toEqual({
      maxEntries: 5,
      maxBytes: defaults.maxBytes,
    });
    expect(resolveOptions({ nearCache: { maxBytes: 1024 } }).nearCache).toEqual({
      maxEntries: defaults.maxEntries,
      maxBytes: 1024,
    });
  });

  it('accepts lockTTLMs 100, the smallest allowed', () => {
    expect(resolveOptions({ lockTTLMs: 100 }).lockTTLMs).toBe(100);
  });

  it.each([
    [100.2, 101],
    [1500.5, 1501],
    [9999.01, 10_000],
  ])('rounds a fractional lockTTLMs %d up to %d', (given, expected) => {
    expect(resolveOptions({ lockTTLMs: given }).lockTTLMs).toBe(expected);
  });

  it('rounds a fractional refreshTimeoutMs up', () => {
    expect(resolveOptions({ refreshTimeoutMs: 250.1 }).refreshTimeoutMs).toBe(251);
  });

  it('accepts Go-compatible custom prefixes', () => {
    const resolved = resolveOptions({ lockPrefix: 'rc:lock:', refreshLockPrefix: 'rc:refresh:' });
    expect(resolved.lockPrefix).toBe('rc:lock:');
    expect(resolved.refreshLockPrefix).toBe('rc:refresh:');
  });

  it('accepts refresh settings at their bounds', () => {
    const resolved = resolveOptions({
      refreshAfterFraction: 0.99,
      refreshBeta: 0,
      refreshWorkers: 1,
      refreshQueueSize: 1,
    });
    expect(resolved.refreshAfterFraction).toBe(0.99);
    expect(resolved.refreshWorkers).toBe(1);
    expect(resolved.refreshQueueSize).toBe(1);
    expect(resolveOptions({ refreshAfterFraction: 0 }).refreshAfterFraction).toBe(0);
    expect(resolveOptions({ refreshBeta: 2.5 }).refreshBeta).toBe(2.5);
  });

  it('uses the logger and metrics it is given, as they are', () => {
    const calls: string[] = [];
    const logger: Logger = {
      debug: (m) => calls.push(`debug ${m}`),
      info: (m) => calls.push(`info ${m}`),
      warn: (m) => calls.push(`warn ${m}`),
      error: (m) => calls.push(`error ${m}`),
    };
    const metrics = new NoopMetrics();
    const resolved = resolveOptions({ logger, metrics });
    expect(resolved.logger).toBe(logger);
    expect(resolved.metrics).toBe(metrics);
    resolved.logger.warn('hello');
    expect(calls).toEqual(['warn hello']);
  });

  it('accepts console as a logger', () => {
    expect(resolveOptions({ logger: console }).logger).toBe(console);
  });
});

describe('resolveOptions: InvalidOptionsError', () => {
  it.each<[string, Options | Record<string, unknown>, string]>([
    ['lockTTLMs 50', { lockTTLMs: 50 }, 'lockTTLMs'],
    ['lockTTLMs 99.9', { lockTTLMs: 99.9 }, 'lockTTLMs'],
    ['lockTTLMs 0', { lockTTLMs: 0 }, 'lockTTLMs'],
    ['lockTTLMs -1', { lockTTLMs: -1 }, 'lockTTLMs'],
    ['lockTTLMs NaN', { lockTTLMs: Number.NaN }, 'lockTTLMs'],
    ['lockTTLMs Infinity', { lockTTLMs: Number.POSITIVE_INFINITY }, 'lockTTLMs'],
    ['lockTTLMs as a string', { lockTTLMs: '1000' }, 'lockTTLMs'],
    [
      'lockPrefix "__redcache:" (a prefix of the envelope prefix)',
      { lockPrefix: '__redcache:' },
      'lockPrefix',
    ],
    ['lockPrefix "_" (a prefix of the envelope prefix)', { lockPrefix: '_' }, 'lockPrefix'],
    [
      'lockPrefix "__redcache:v1" (a prefix of the envelope prefix)',
      { lockPrefix: '__redcache:v1' },
      'lockPrefix',
    ],
    ['lockPrefix equal to the envelope prefix', { lockPrefix: '__redcache:v1:' }, 'lockPrefix'],
    [
      'lockPrefix "__redcache:v1:0" (extends the envelope prefix)',
      { lockPrefix: '__redcache:v1:0' },
      'lockPrefix',
    ],
    ['an empty lockPrefix', { lockPrefix: '' }, 'lockPrefix'],
    ['refreshAfterFraction 1', { refreshAfterFraction: 1 }, 'refreshAfterFraction'],
    ['refreshAfterFraction -0.1', { refreshAfterFraction: -0.1 }, 'refreshAfterFraction'],
    ['refreshAfterFraction NaN', { refreshAfterFraction: Number.NaN }, 'refreshAfterFraction'],
    ['refreshBeta -1', { refreshBeta: -1 }, 'refreshBeta'],
    ['refreshWorkers 0', { refreshWorkers: 0 }, 'refreshWorkers'],
    ['refreshWorkers 1.5', { refreshWorkers: 1.5 }, 'refreshWorkers'],
    ['refreshQueueSize 0', { refreshQueueSize: 0 }, 'refreshQueueSize'],
    ['refreshQueueSize -3', { refreshQueueSize: -3 }, 'refreshQueueSize'],
    ['refreshTimeoutMs 0', { refreshTimeoutMs: 0 }, 'refreshTimeoutMs'],
    ['an empty refreshLockPrefix', { refreshLockPrefix: '' }, 'refreshLockPrefix'],
    [
      'refreshLockPrefix extending the lock prefix',
      { refreshLockPrefix: '__redcache:lock:refresh:' },
      'refreshLockPrefix',
    ],
    [
      'refreshLockPrefix that is a prefix of the lock prefix',
      { refreshLockPrefix: '__redcache:lo' },
      'refreshLockPrefix',
    ],
    [
      'refreshLockPrefix overlapping a custom lock prefix',
      { lockPrefix: 'app:lock:', refreshLockPrefix: 'app:lock:r:' },
      'refreshLockPrefix',
    ],
    [
      'refreshLockPrefix "__redcache:" (a prefix of the envelope prefix)',
      { refreshLockPrefix: '__redcache:' },
      'refreshLockPrefix',
    ],
    [
      'refreshLockPrefix extending the envelope prefix',
      { refreshLockPrefix: '__redcache:v1:r:' },
      'refreshLockPrefix',
    ],
    ['nearCache { maxEntries: 0 }', { nearCache: { maxEntries: 0 } }, 'nearCache'],
    ['nearCache { maxBytes: -1 }', { nearCache: { maxBytes: -1 } }, 'nearCache'],
    ['nearCache true', { nearCache: true }, 'nearCache'],
    ['a logger missing a method', { logger: { debug() {}, info() {}, warn() {} } }, 'logger'],
    ['a logger that is not an object', { logger: 'console' }, 'logger'],
    ['metrics that are not an object', { metrics: 42 }, 'metrics'],
  ])('rejects %s, naming the field', (_label, options, field) => {
    const error = rejection(options);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toBeInstanceOf(RedcacheError);
    expect(error.code).toBe('E_INVALID_OPTIONS');
    expect(error.name).toBe('InvalidOptionsError');
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`${field}`);
    expect(error.issues.some((issue) => issue.startsWith(field))).toBe(true);
  });

  it('says why a lock prefix that overlaps the envelope is refused', () => {
    const error = rejection({ lockPrefix: '__redcache:' });
    expect(error.message).toContain('"__redcache:"');
    expect(error.message).toContain(ENVELOPE_PREFIX);
  });

  it('names an unknown option key', () => {
    const error = rejection({ lockTtl: 5000 });
    expect(error.code).toBe('E_INVALID_OPTIONS');
    expect(error.message).toContain('lockTtl');
  });

  it('names an unknown near-cache key', () => {
    const error = rejection({ nearCache: { maxEntries: 10, maxItems: 5 } });
    expect(error.message).toContain('maxItems');
  });

  it('names the missing logger method in the message', () => {
    const error = rejection({ logger: { debug() {}, info() {}, warn() {} } });
    expect(error.message).toMatch(/logger: .*error/);
  });

  it('reports every bad field at once', () => {
    const error = rejection({ lockTTLMs: 5, refreshWorkers: 0, refreshBeta: -1 });
    expect(error.message).toContain('lockTTLMs');
    expect(error.message).toContain('refreshWorkers');
    expect(error.message).toContain('refreshBeta');
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
  });

  // Defect 15 of issue 10: refreshTimeoutMs 1e10 was accepted, and a timer that long fires at
  // once (setTimeout tops out at 2^31 - 1 ms), so every refresh would be aborted after 1 ms.
  it.each([1e10, MAX_TIMER_MS + 1, Number.MAX_VALUE])(
    'defect 15: rejects refreshTimeoutMs %d, longer than a timer can wait, naming the bound',
    (refreshTimeoutMs) => {
      const error = rejection({ refreshTimeoutMs });
      expect(error.issues.some((issue) => issue.startsWith('refreshTimeoutMs'))).toBe(true);
      expect(error.message).toContain(String(MAX_TIMER_MS));
    },
  );

  it('accepts refreshTimeoutMs up to the longest timer', () => {
    expect(resolveOptions({ refreshTimeoutMs: MAX_TIMER_MS }).refreshTimeoutMs).toBe(MAX_TIMER_MS);
  });

  it('has op "open" and no cause', () => {
    const error = rejection({ lockTTLMs: 1 });
    expect(error.op).toBe('open');
    expect(error.cause).toBeUndefined();
  });
});
