/**
 * Events the engine reports. Every method is called synchronously on the hot path: keep
 * implementations cheap. Counts are never 0 or negative; durations are milliseconds.
 */
export interface Metrics {
  cacheHits(n: number, view?: string): void;
  cacheMisses(n: number, view?: string): void;
  lockContended(n: number, view?: string): void;
  lockWaitDuration(ms: number, view?: string): void;
  loaderDuration(ms: number, view?: string): void;
  loaderErrors(n: number, view?: string): void;
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
  failSafeServed?(n: number, cause: string, view?: string): void;
  /** Keys loaded here, without Redis, because it was down (`whenRedisIsDown: 'load'`). Optional. */
  degradedLoads?(n: number, view?: string): void;
  /** A loader passed its soft or hard timeout. Optional. */
  loaderTimedOut?(kind: 'soft' | 'hard', view?: string): void;
  /**
   * A call settled after `ms` ms (`op`: the operation; `outcome`: a `CallOutcome`). Optional: when
   * it is absent the hit path reads no clock for it.
   */
  callDuration?(op: string, outcome: string, ms: number, view?: string): void;
  /** Entries the near cache evicted to stay within `maxEntries` or `maxBytes`. Optional. */
  nearEvictions?(n: number): void;
  /** Entries the near cache dropped because their ttl ran out. Optional. */
  nearExpirations?(n: number): void;
  /**
   * Called once by `Conn.open` with what the connection can be asked at any time (observable
   * gauges read it when they are collected). Optional.
   */
  observe?(source: MetricsSource): void;
}

/** What a connection reports on demand (see `Metrics.observe`). */
export interface MetricsSource {
  /** Entries and bytes (as `maxBytes` counts them) in the near cache now; zeros without one. */
  nearCache(): { entries: number; bytes: number };
  /** The breaker's state now: `'closed'` (Redis answers) or `'open'` (calls fail fast or degrade). */
  breakerState(): 'closed' | 'open';
}

/**
 * A Metrics that ignores every event. Extend it and override what you need. It has no
 * `callDuration`: a call is timed only for a `Metrics` that defines one (override it to get
 * call durations), so the hit path reads no clock for it otherwise.
 */
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
  nearEvictions(_n: number): void {}
  nearExpirations(_n: number): void {}
  observe(_source: MetricsSource): void {}
}

/** Ignores every event. */
export const noopMetrics: Metrics = new NoopMetrics();
