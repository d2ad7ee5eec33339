import { afterEach, describe, expect, it } from 'vitest';
import { Conn } from '../conn.js';
import type { Driver, DriverHealthEvent } from '../driver.js';
import { type MetricsSource, NoopMetrics } from '../metrics.js';
import { NearCache } from '../near-cache/near-cache.js';
import { metricsSourceOf } from './metrics-source.js';

/** Remembers every source `observe` is given. */
class Observer extends NoopMetrics {
  readonly sources: MetricsSource[] = [];
  override observe(source: MetricsSource): () => void {
    this.sources.push(source);
    return () => this.sources.splice(this.sources.indexOf(source), 1);
  }
}

/** A driver that sends nothing (every command fails) and lets the test report on its health. */
function reportingDriver() {
  const listeners: Array<(event: DriverHealthEvent) => void> = [];
  const driver: Driver = {
    client: undefined,
    send: () => Promise.reject(new Error('no Redis here')),
    onInvalidate: () => () => {},
    onHealth: (listener) => {
      listeners.push(listener);
      return () => {};
    },
    slotOf: () => 0,
    close: async () => {},
  };
  const report = (event: DriverHealthEvent) => {
    for (const listener of listeners) listener(event);
  };
  return { driver, report };
}

const conns: Conn[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

describe('Metrics.observe', () => {
  it('is called once when a Conn opens, with a source that tells the breaker state now', () => {
    const metrics = new Observer();
    const { driver, report } = reportingDriver();
    conns.push(Conn.open(driver, { metrics }));
    expect(metrics.sources).toHaveLength(1);
    const source = metrics.sources[0]!;
    expect(source.breakerState()).toBe('closed');
    expect(source.nearCache()).toEqual({ entries: 0, bytes: 0 });
    report({ healthy: false, reason: 'liveness' });
    expect(source.breakerState()).toBe('open');
    expect(metrics.sources).toHaveLength(1);
  });

  it("stops observing a Conn once it closes (was: a closed Conn's source stayed, leaking it and counting a breaker for ever — open, if it closed during an outage)", async () => {
    const metrics = new Observer();
    const { driver, report } = reportingDriver();
    const closing = Conn.open(driver, { metrics });
    const staying = Conn.open(reportingDriver().driver, { metrics });
    conns.push(staying);
    expect(metrics.sources).toHaveLength(2);
    report({ healthy: false, reason: 'liveness' });
    const [closingSource, stayingSource] = metrics.sources;
    expect(closingSource!.breakerState()).toBe('open');
    await closing.close();
    expect(metrics.sources).toEqual([stayingSource]);
  });

  it('reports zeros for a Conn without a near cache', () => {
    const metrics = new Observer();
    conns.push(Conn.open(reportingDriver().driver, { metrics, nearCache: false }));
    expect(metrics.sources[0]?.nearCache()).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('metricsSourceOf', () => {
  it("reads the near cache's entries and bytes (as maxBytes counts them) when asked", () => {
    const nearCache = new NearCache({ maxEntries: 10, maxBytes: 1_000 });
    const health = { down: false } as Parameters<typeof metricsSourceOf>[1];
    const source = metricsSourceOf(nearCache, health);
    const stored = { value: 'v', codec: {}, raw: new Uint8Array(10), deltaNs: 0 };
    nearCache.set('ab', stored, 10_000);
    nearCache.set('cde', stored, 10_000);
    expect(source.nearCache()).toEqual({ entries: 2, bytes: 25 });
    nearCache.close();
    expect(source.nearCache()).toEqual({ entries: 0, bytes: 0 });
  });
});
