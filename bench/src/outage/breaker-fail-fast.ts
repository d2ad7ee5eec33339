import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { OutageMetrics } from './outage-metrics.js';
import { startOutageServer } from './outage-server.js';
import { type TimedCalls, timeCalls } from './time-calls.js';

/** Acceptance 2 of issue 11: once the breaker is open, calls fail in under 5 ms. */
export const FAIL_FAST_TARGET_MS = 5;
const TTL_MS = 60_000;
const WARM_KEYS = 100;
/** Failing calls before the timed ones, so the timed ones run the fail path warmed up. */
const WARMUP_CALLS = 1_000;

export interface FailFastFigures {
  readonly calls: number;
  /** From the SIGKILL to the `redisDown` event. */
  readonly openAfterMs: number;
  readonly downReason: string;
  /** The timed `get`s, breaker open (half warm keys, half never read): `error E_UNAVAILABLE` for all, expected. */
  readonly timed: TimedCalls;
  /** Timed calls whose error named the server's address. */
  readonly namingServer: number;
  /** Command timeouts reported during the timed calls: 0 when nothing waited for one. */
  readonly commandTimeouts: number;
}

/**
 * `breaker-fail-fast`: a Conn (default options) over a redis-server of its own, warmed with
 * `WARM_KEYS` near-cache entries; the server is killed; once the breaker opens (`redisDown`),
 * `calls` sequential `get`s, each timed.
 */
export async function measureBreakerFailFast(calls: number): Promise<FailFastFigures> {
  const server = await startOutageServer();
  const metrics = new OutageMetrics();
  const conn = await connect({ url: server.url }, { metrics });
  try {
    const cache = newStringCache(conn, StringCodec);
    const key = (i: number) => (i % 2 === 0 ? `warm:${i % WARM_KEYS}` : `cold:${i}`);
    for (let i = 0; i < WARM_KEYS; i++) await cache.get(`warm:${i}`, TTL_MS, async () => 'warm');
    const killed = performance.now();
    await server.kill();
    await metrics.breakerOpen();
    const openAfterMs = performance.now() - killed;
    const get = (i: number) => cache.get(key(i), TTL_MS, async () => 'loaded');
    await timeCalls(WARMUP_CALLS, FAIL_FAST_TARGET_MS, get);
    const timeoutsBefore = timeoutsOf(metrics);
    let namingServer = 0;
    const timed = await timeCalls(calls, FAIL_FAST_TARGET_MS, (i) =>
      get(i).catch((error: unknown) => {
        if (String((error as Error).message).includes(server.address)) namingServer++;
        throw error;
      }),
    );
    return {
      calls,
      openAfterMs,
      downReason: Object.keys(metrics.counts).find((name) => name.startsWith('redisDown:')) ?? '',
      timed,
      namingServer,
      commandTimeouts: timeoutsOf(metrics) - timeoutsBefore,
    };
  } finally {
    await conn.close();
    await server.stop();
  }
}

export function timeoutsOf(metrics: OutageMetrics): number {
  return Object.entries(metrics.counts)
    .filter(([name]) => name.startsWith('commandTimeout:'))
    .reduce((sum, [, n]) => sum + n, 0);
}
