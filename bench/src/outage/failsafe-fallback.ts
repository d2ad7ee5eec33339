import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { timeoutsOf } from './breaker-fail-fast.js';
import { OutageMetrics } from './outage-metrics.js';
import { startOutageServer } from './outage-server.js';
import { type TimedCalls, timeCalls } from './time-calls.js';

/** A fallback or a degraded load must not wait for a command timeout: well under commandTimeoutMs. */
export const FALLBACK_TARGET_MS = 5;
const TTL_MS = 60_000;
const MAX_STALE_MS = 60_000;
const WARM_KEYS = 100;
const WARMUP_CALLS = 1_000;

export interface FallbackFigures {
  readonly calls: number;
  readonly openAfterMs: number;
  /** `get` of a warm key (its near-cache entry demoted by the outage): the fallback. */
  readonly fallback: TimedCalls;
  /** Loader calls made by the fallback gets: 0 expected. */
  readonly fallbackLoaderCalls: number;
  readonly failSafeServed: number;
  /** `get` of a key never read, `whenRedisIsDown: 'load'`: the loader's value, loaded here. */
  readonly degraded: TimedCalls;
  /** Loader calls made by the degraded gets: one per call expected (a key each). */
  readonly degradedLoaderCalls: number;
  readonly degradedLoads: number;
  /** Command timeouts reported during the timed calls: 0 when nothing waited for one. */
  readonly commandTimeouts: number;
}

/**
 * `failsafe-fallback`: a Conn with `failSafe: { maxStaleMs: 60 000 }` and `whenRedisIsDown:
 * 'load'` over a redis-server of its own, `WARM_KEYS` keys read; the server is killed; once the
 * breaker opens, `calls` timed `get`s of the warm keys (served their fallbacks, no loader),
 * then `calls` timed `get`s of distinct keys never read (the loader runs here, at once).
 */
export async function measureFailSafeFallback(calls: number): Promise<FallbackFigures> {
  const server = await startOutageServer();
  const metrics = new OutageMetrics();
  const conn = await connect(
    { url: server.url },
    { metrics, failSafe: { maxStaleMs: MAX_STALE_MS }, whenRedisIsDown: 'load' },
  );
  try {
    const cache = newStringCache(conn, StringCodec);
    for (let i = 0; i < WARM_KEYS; i++) await cache.get(`warm:${i}`, TTL_MS, async () => 'warm');
    const killed = performance.now();
    await server.kill();
    await metrics.breakerOpen();
    const openAfterMs = performance.now() - killed;
    let loaderCalls = 0;
    const loader = async () => {
      loaderCalls++;
      return 'loaded';
    };
    const warm = (i: number) => cache.get(`warm:${i % WARM_KEYS}`, TTL_MS, loader);
    const cold = (prefix: string) => (i: number) => cache.get(`${prefix}:${i}`, TTL_MS, loader);
    await timeCalls(WARMUP_CALLS, FALLBACK_TARGET_MS, warm);
    await timeCalls(WARMUP_CALLS, FALLBACK_TARGET_MS, cold('warmup'));
    const counted: Record<string, number> = { ...metrics.counts };
    const before = { loaderCalls, timeouts: timeoutsOf(metrics) };
    const fallback = await timeCalls(calls, FALLBACK_TARGET_MS, warm);
    const fallbackLoaderCalls = loaderCalls - before.loaderCalls;
    const degraded = await timeCalls(calls, FALLBACK_TARGET_MS, cold('cold'));
    const delta = (name: string) => (metrics.counts[name] ?? 0) - (counted[name] ?? 0);
    return {
      calls,
      openAfterMs,
      fallback,
      fallbackLoaderCalls,
      failSafeServed: delta('failSafeServed:redis'),
      degraded,
      degradedLoaderCalls: loaderCalls - before.loaderCalls - fallbackLoaderCalls,
      degradedLoads: delta('degradedLoads'),
      commandTimeouts: timeoutsOf(metrics) - before.timeouts,
    };
  } finally {
    await conn.close();
    await server.stop();
  }
}
