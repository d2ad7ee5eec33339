import { NoopMetrics } from '@redcache/core';

/**
 * A `Metrics` that counts the events this example looks at; every other event stays a no-op,
 * inherited from `NoopMetrics`. The engine calls these synchronously on the hot path, so they
 * only add numbers. Durations are milliseconds.
 */
export class CountingMetrics extends NoopMetrics {
  hits = 0;
  misses = 0;
  contendedKeys = 0;
  lockWaits = 0;
  lockWaitMs = 0;
  loaderCalls = 0;
  loaderMs = 0;
  failedLoads = 0;

  override cacheHits(n: number): void {
    this.hits += n;
  }
  override cacheMisses(n: number): void {
    this.misses += n;
  }
  override lockContended(n: number): void {
    this.contendedKeys += n;
  }
  override lockWaitDuration(ms: number): void {
    this.lockWaits++;
    this.lockWaitMs += ms;
  }
  override loaderDuration(ms: number): void {
    this.loaderCalls++;
    this.loaderMs += ms;
  }
  override loaderErrors(n: number): void {
    this.failedLoads += n;
  }
}
