import { CommandTimeoutError, RedcacheError } from '@redcache/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, stateOf, useFakeTimedServer } from '../test-support/engine-process.js';
import { ResilienceMetrics } from '../test-support/resilience-metrics.js';

// Every call is bounded by commandTimeoutMs (issue 11), on the memory server with fake timers.

const env = useFakeTimedServer({});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('the command bound', () => {
  it('by default, a get whose reply does not come rejects after 1 000 ms with CommandTimeoutError naming op, key and bound', async () => {
    const metrics = new ResilienceMetrics();
    const a = env.start({ metrics });
    a.driver.pause();
    const getting = a.cache.get('user:1', 60_000, async () => 'loaded');
    const rejected = rejectionOf(getting);
    await vi.advanceTimersByTimeAsync(999);
    expect(await stateOf(getting)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await rejected;
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(RedcacheError.isInstance(error) && error.code).toBe('E_TIMEOUT');
    expect((error as CommandTimeoutError).op).toBe('get');
    expect((error as CommandTimeoutError).key).toBe('user:1');
    expect((error as CommandTimeoutError).timeoutMs).toBe(1_000);
    expect((error as Error).message).toContain('timed out after 1000 ms');
    expect(metrics.events).toEqual(['timeout:get']);

    // The late reply is ignored; one timeout does not open the breaker: the next call goes to Redis.
    a.driver.resume();
    await flush();
    expect(await a.cache.get('user:1', 60_000, async () => 'loaded')).toBe('loaded');
  });

  it('bounds each write the same way, with its own op', async () => {
    const a = env.start({ commandTimeoutMs: 250 });
    a.driver.pause();
    const deleting = rejectionOf(a.cache.del('k'));
    await vi.advanceTimersByTimeAsync(250);
    const error = (await deleting) as CommandTimeoutError;
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error.op).toBe('del');
    expect(error.timeoutMs).toBe(250);
    a.driver.resume();
  });

  it('with commandTimeoutMs: false, a call waits for its reply as long as it takes', async () => {
    const a = env.start({ commandTimeoutMs: false });
    a.driver.pause();
    const getting = a.cache.get('k', 60_000, async () => 'loaded');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await stateOf(getting)).toBe('pending');
    a.driver.resume();
    await flush();
    expect(await getting).toBe('loaded');
  });
});
