/**
 * Events the engine reports. Every method is called synchronously on the hot path: keep
 * implementations cheap. Counts are never 0 or negative; durations are milliseconds.
 */
export interface Metrics {
  cacheHits(n: number): void;
  cacheMisses(n: number): void;
  lockContended(n: number): void;
  lockWaitDuration(ms: number): void;
  loaderDuration(ms: number): void;
  loaderErrors(n: number): void;
  redisError(op: string): void;
  refreshTriggered(n: number): void;
  refreshSkipped(n: number): void;
  refreshDropped(n: number): void;
  lockLost(key: string): void;
  refreshError(key: string): void;
  refreshPanicked(key: string): void;
  invalidationError(): void;
}

/** A Metrics that ignores every event. Extend it and override what you need. */
export class NoopMetrics implements Metrics {
  cacheHits(_n: number): void {}
  cacheMisses(_n: number): void {}
  lockContended(_n: number): void {}
  lockWaitDuration(_ms: number): void {}
  loaderDuration(_ms: number): void {}
  loaderErrors(_n: number): void {}
  redisError(_op: string): void {}
  refreshTriggered(_n: number): void {}
  refreshSkipped(_n: number): void {}
  refreshDropped(_n: number): void {}
  lockLost(_key: string): void {}
  refreshError(_key: string): void {}
  refreshPanicked(_key: string): void {}
  invalidationError(): void {}
}

export const noopMetrics: Metrics = new NoopMetrics();
