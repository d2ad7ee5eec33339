import { describe, expect, it } from 'vitest';
import { type Metrics, type MetricsSource, NoopMetrics } from '../metrics.js';
import { type REQUIRED_METRICS, withAllMetrics } from './all-metrics.js';

/** Only the required events, counting hits in a private field (forwarded calls must be bound). */
class Minimal implements Pick<Metrics, (typeof REQUIRED_METRICS)[number]> {
  #hits = 0;
  get hits(): number {
    return this.#hits;
  }
  cacheHits(n: number): void {
    this.#hits += n;
  }
  cacheMisses(): void {}
  lockContended(): void {}
  lockWaitDuration(): void {}
  loaderDuration(): void {}
  loaderErrors(): void {}
  redisError(): void {}
  refreshTriggered(): void {}
  refreshSkipped(): void {}
  refreshDropped(): void {}
  lockLost(): void {}
  refreshError(): void {}
  refreshPanicked(): void {}
  invalidationError(): void {}
}

describe('withAllMetrics', () => {
  it('returns a NoopMetrics as it is, without callDuration: the hit path reads no clock for it', () => {
    const metrics = new NoopMetrics();
    const all = withAllMetrics(metrics);
    expect(all).toBe(metrics);
    expect(all.callDuration).toBeUndefined();
    expect(() => all.nearEvictions(1)).not.toThrow();
    expect(() => all.observe({} as MetricsSource)).not.toThrow();
  });

  it('fills in every optional event but callDuration for a Metrics with only the required ones', () => {
    const metrics = new Minimal();
    const all = withAllMetrics(metrics);
    expect(all.callDuration).toBeUndefined();
    for (const name of [
      'nearEvictions',
      'nearExpirations',
      'observe',
      'redisDown',
      'failSafeServed',
    ] as const) {
      expect(typeof all[name], name).toBe('function');
    }
    all.cacheHits(2, 'users');
    expect(metrics.hits).toBe(2);
  });

  it('keeps callDuration, bound, when the Metrics defines it', () => {
    const calls: string[] = [];
    class Timed extends NoopMetrics {
      readonly #calls = calls;
      callDuration(op: string, outcome: string, ms: number, view?: string): void {
        this.#calls.push(`${op} ${outcome} ${ms} ${view}`);
      }
    }
    const all = withAllMetrics(new Timed());
    all.callDuration?.('get', 'nearHit', 0.5, 'users');
    const wrapped = withAllMetrics(Object.assign(new Minimal(), { callDuration: new Timed().callDuration }));
    expect(typeof wrapped.callDuration).toBe('function');
    expect(calls).toEqual(['get nearHit 0.5 users']);
  });

  it('forwards the new events of a Metrics that has some of them', () => {
    const seen: string[] = [];
    const metrics = Object.assign(new Minimal(), {
      nearEvictions: (n: number) => seen.push(`evicted ${n}`),
      observe: (source: MetricsSource) => {
        seen.push(`observe ${source.breakerState()}`);
      },
    });
    const all = withAllMetrics(metrics);
    all.nearEvictions(3);
    all.nearExpirations(1);
    all.observe({ nearCache: () => ({ entries: 0, bytes: 0 }), breakerState: () => 'closed' });
    expect(seen).toEqual(['evicted 3', 'observe closed']);
  });
});
