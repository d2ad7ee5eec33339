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
  /** The breaker opened: Redis is down (`reason`: `'connection'`, `'liveness'`, `'timeouts'`). Optional. */
  redisDown?(reason: string): void;
  /** The breaker closed again after `downMs` ms: a probe was answered. Optional. */
  redisUp?(downMs: number): void;
  /** A Redis round trip timed out (`op`: the caller's operation). Optional. */
  commandTimeout?(op: string): void;
  /** Fail-safe fallbacks served instead of an error (`cause`: `'loader'`, `'timeout'`, `'redis'`). Optional. */
  failSafeServed?(n: number, cause: string): void;
  /** Keys loaded here, without Redis, because it was down (`whenRedisIsDown: 'load'`). Optional. */
  degradedLoads?(n: number): void;
  /** A loader passed its soft or hard timeout. Optional. */
  loaderTimedOut?(kind: 'soft' | 'hard'): void;
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
  redisDown(_reason: string): void {}
  redisUp(_downMs: number): void {}
  commandTimeout(_op: string): void {}
  failSafeServed(_n: number, _cause: string): void {}
  degradedLoads(_n: number): void {}
  loaderTimedOut(_kind: 'soft' | 'hard'): void {}
}

/** Ignores every event. */
export const noopMetrics: Metrics = new NoopMetrics();
