import { type Metrics, NoopMetrics } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { flush, storedText, useFakeTimedServer } from '../test-support/engine-process.js';

// A Metrics whose loaderDuration throws: the load still ends cleanly (issue 12 chains what
// follows a loader on the loader's own promise; its locks must be released all the same).

const env = useFakeTimedServer({ lockTTLMs: 1_000 });

class ThrowingDuration extends NoopMetrics implements Metrics {
  override loaderDuration(): void {
    throw new Error('metrics broke');
  }
}

describe('a Metrics whose loaderDuration throws', () => {
  it('rejects the get with its error and releases the key’s lock (the next get loads it)', async () => {
    const a = env.start({ metrics: new ThrowingDuration() });
    await expect(a.cache.get('k', 60_000, async () => 'v')).rejects.toThrow('metrics broke');
    await flush();
    expect(storedText(env.server, 'k')).toBeUndefined();
  });
});
