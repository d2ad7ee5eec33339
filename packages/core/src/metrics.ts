/**
 * Events the engine reports. Every method is called synchronously on the hot path: keep
 * implementations cheap. Counts are never 0 or negative; durations are milliseconds.
 *
 * The per-call events take a last, optional `view`: the name of the view the call went through
 * (`ViewOptions.name`), undefined for a view without one. docs/metrics-and-otel.md says when
 * each event fires.
 */
export interface Metrics {
  /**
   * Keys served without loading: from the near cache, or found in Redis at the first read.
   *
   * @param n - how many keys (1 per `get`; a `getMulti`'s near-cache hits at once).
   * @param view - the view's name, if it has one.
   */
  cacheHits(n: number, view?: string): void;
  /**
   * Keys that were loaded, by this process or by another one this caller waited for.
   *
   * @param n - how many keys (1 per caller and key).
   * @param view - the view's name, if it has one.
   */
  cacheMisses(n: number, view?: string): void;
  /**
   * A caller is about to wait for keys another caller's lock holds.
   *
   * @param n - how many keys it waits for (a key that waits twice counts twice).
   * @param view - the view's name, if it has one.
   */
  lockContended(n: number, view?: string): void;
  /**
   * A wait for another caller's lock ended, however it ended.
   *
   * @param ms - how long it waited, in milliseconds.
   * @param view - the view's name, if it has one.
   */
  lockWaitDuration(ms: number, view?: string): void;
  /**
   * A foreground loader call settled, successful or not (refreshes are not counted).
   *
   * @param ms - how long the loader ran, in milliseconds.
   * @param view - the view's name, if it has one.
   */
  loaderDuration(ms: number, view?: string): void;
  /**
   * A foreground loader rejected or threw, or returned without some keys or with values that
   * could not be encoded.
   *
   * @param n - how many keys failed.
   * @param view - the view's name, if it has one.
   */
  loaderErrors(n: number, view?: string): void;
  /**
   * Redis answered a command with an error, a pipeline could not be sent, or a round trip
   * timed out.
   *
   * @param op - the engine's step, from a small fixed set (`read`, `lock`, `set`, `del`,
   *   `touch`, `unlock`, `renew`, `refresh`, and the write calls' names).
   */
  redisError(op: string): void;
  /**
   * A hit queued a refresh-ahead job.
   *
   * @param n - how many keys the job refreshes.
   */
  refreshTriggered(n: number): void;
  /**
   * Keys due for refresh were not refreshed because a refresh of them was already queued or
   * running here, or another process held their refresh lock.
   *
   * @param n - how many keys.
   */
  refreshSkipped(n: number): void;
  /**
   * Keys due for refresh were not queued (the queue was full or the connection closing), or
   * were still queued when the connection closed.
   *
   * @param n - how many keys.
   */
  refreshDropped(n: number): void;
  /**
   * A compare-and-set found its lock gone (overwritten, deleted or expired).
   *
   * @param key - the Redis key the lock guarded.
   */
  lockLost(key: string): void;
  /**
   * A refresh-ahead failed for a key: its lock, its loader, encoding or the write-back.
   *
   * @param key - the Redis key.
   */
  refreshError(key: string): void;
  /**
   * A refresh loader threw synchronously instead of returning a promise (once per key of the
   * job).
   *
   * @param key - the Redis key.
   */
  refreshPanicked(key: string): void;
  /** Handling an invalidation push threw inside the engine (it is logged too). */
  invalidationError(): void;
  /**
   * The breaker opened: Redis is down. Optional.
   *
   * @param reason - `'connection'`, `'liveness'` or `'timeouts'`.
   */
  redisDown?(reason: string): void;
  /**
   * The breaker closed again: a probe was answered. Optional.
   *
   * @param downMs - how long Redis was down, in milliseconds.
   */
  redisUp?(downMs: number): void;
  /**
   * A Redis round trip got no reply within `commandTimeoutMs`. Optional.
   *
   * @param op - the caller's operation (`get`, `set`, …).
   */
  commandTimeout?(op: string): void;
  /**
   * Fail-safe fallbacks were served instead of an error. Optional.
   *
   * @param n - how many keys.
   * @param cause - what failed: `'loader'`, `'timeout'` or `'redis'`.
   * @param view - the view's name, if it has one.
   */
  failSafeServed?(n: number, cause: string, view?: string): void;
  /**
   * Keys were loaded here, without Redis, because it was down (`whenRedisIsDown: 'load'`).
   * Optional.
   *
   * @param n - how many keys.
   * @param view - the view's name, if it has one.
   */
  degradedLoads?(n: number, view?: string): void;
  /**
   * A loader passed its soft or hard timeout. Optional.
   *
   * @param kind - which timeout: `'soft'` or `'hard'`.
   * @param view - the view's name, if it has one.
   */
  loaderTimedOut?(kind: 'soft' | 'hard', view?: string): void;
  /**
   * A call settled. Optional: when it is absent the hit path reads no clock for it.
   *
   * @param op - the operation (`get`, `getMulti`, `peek`, `set`, …).
   * @param outcome - a `CallOutcome` (`nearHit`, `redisHit`, `loaded`, …, or `mixed`).
   * @param ms - how long the call took, in milliseconds.
   * @param view - the view's name, if it has one.
   */
  callDuration?(op: string, outcome: string, ms: number, view?: string): void;
  /**
   * The near cache evicted entries to stay within `maxEntries` or `maxBytes`. Optional.
   *
   * @param n - how many entries.
   */
  nearEvictions?(n: number): void;
  /**
   * The near cache dropped entries because their ttl (and fail-safe window) ran out. Optional.
   *
   * @param n - how many entries.
   */
  nearExpirations?(n: number): void;
  /**
   * Called once by `Conn.open` with what the connection can be asked at any time (observable
   * gauges read it when they are collected). Optional. Return a function to be told when the
   * connection closes: it is called once, as `close()` begins, so a `Metrics` shared by
   * connections that come and go stops reading (and holding) a closed one.
   *
   * @param source - the connection's near cache and breaker, to read when collected.
   * @returns nothing, or a function that forgets `source` (called when the connection closes).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an observe written to return nothing stays valid.
  observe?(source: MetricsSource): void | (() => void);
}

/** What a connection reports on demand (see `Metrics.observe`). */
export interface MetricsSource {
  /**
   * The near cache's size now; zeros without one, or once the connection is closed.
   *
   * @returns its entries, and its bytes as `maxBytes` counts them.
   */
  nearCache(): {
    /** Entries in the near cache, fresh and fail-safe fallbacks. */
    entries: number;
    /** Bytes in the near cache, as `maxBytes` counts them (stored bytes plus keys). */
    bytes: number;
  };
  /**
   * The breaker's state now.
   *
   * @returns `'closed'` (Redis answers) or `'open'` (calls fail fast or degrade).
   */
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
