import { MAX_TIMER_MS } from '@redcache/core/internal';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from '../memory/memory-redis.js';
import {
  deferred,
  type EngineProcess,
  flush,
  openProcess,
  storedText,
} from '../test-support/engine-process.js';

// Refresh-ahead of values whose ttl is longer than a timer can wait (issue 10, defect 15). The
// clock is fake, so 16 days pass at once. A timer longer than 2^31 - 1 ms fires after 1 ms:
// AbortSignal.timeout runs on Node's own timers, which fake timers do not replace, so the test
// waits a little real time as well as fake time.

const DAY_MS = 86_400_000;
const TTL_MS = 30 * DAY_MS;
const realSetTimeout = globalThis.setTimeout;
/** Real time, for a real (unfaked) timer to have its chance to fire. */
const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

let server: MemoryRedis;
let opened: EngineProcess[];
let warnings: Error[];
const onWarning = (warning: Error) => warnings.push(warning);

beforeEach(() => {
  vi.useFakeTimers();
  server = createMemoryRedis();
  opened = [];
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  const closing = Promise.all(opened.map((p) => p.conn.close()));
  await vi.advanceTimersByTimeAsync(10_000);
  await closing;
  vi.useRealTimers();
});

describe('refresh-ahead with a ttl over 24.8 days', () => {
  it('defect 15: the default refresh timeout (the ttl) is capped at the longest timer, so the refresh loader is not aborted after 1 ms', async () => {
    expect(TTL_MS).toBeGreaterThan(MAX_TIMER_MS);
    const a = openProcess(server, { lockTTLMs: 1_000, refreshAfterFraction: 0.5 });
    opened.push(a);
    expect(await a.cache.get('k', TTL_MS, async () => 'v1')).toBe('v1');
    await vi.advanceTimersByTimeAsync(16 * DAY_MS);

    const refreshed = deferred<string>();
    let refreshSignal: AbortSignal | undefined;
    const loader = vi.fn(async (_key: string, { signal }: { signal: AbortSignal }) => {
      refreshSignal = signal;
      return refreshed.promise;
    });
    // A stale hit: served at once, refreshed in the background.
    expect(await a.cache.get('k', TTL_MS, loader)).toBe('v1');
    await flush();
    expect(loader).toHaveBeenCalledTimes(1);

    // An overflowing timeout fires after 1 ms, of real time (AbortSignal.timeout) or of the
    // fake clock (setTimeout); give it far more than that of both.
    await realSleep(50);
    await vi.advanceTimersByTimeAsync(100);
    expect(refreshSignal?.aborted).toBe(false);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);

    refreshed.resolve('v2');
    await flush();
    expect(storedText(server, 'k')).toMatch(/^__redcache:v1:\d+:v2$/);
  });
});
