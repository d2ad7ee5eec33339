import { type Driver, NoopMetrics } from '@redcache/core';
import { vi } from 'vitest';
import type { MemoryDriver } from '../memory/memory-driver.js';
import { withSend } from './with-send.js';

/** A memory driver whose Redis can be taken away and given back, as a killed and restarted server. */
export interface OutageDriver {
  readonly driver: Driver;
  readonly isDown: boolean;
  /** Redis goes away: the connection is lost (a `null` invalidation), and every send fails until `up()`. */
  down(): void;
  /** Redis is reachable again (the breaker's next probe finds it). */
  up(): void;
}

export function outageDriver(inner: MemoryDriver): OutageDriver {
  let down = false;
  const driver = withSend(inner, (commands) =>
    down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379 (outage)')) : inner.send(commands),
  );
  return {
    driver,
    get isDown() {
      return down;
    },
    down() {
      down = true;
      inner.dropConnection();
    },
    up() {
      down = false;
    },
  };
}

/** A Metrics that records the resilience events (and loader calls' durations) as mocks. */
export function resilienceMetrics() {
  return Object.assign(new NoopMetrics(), {
    failSafeServed: vi.fn<(n: number, cause: string) => void>(),
    degradedLoads: vi.fn<(n: number) => void>(),
    loaderTimedOut: vi.fn<(kind: 'soft' | 'hard') => void>(),
    loaderErrors: vi.fn<(n: number) => void>(),
  });
}
