import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface NearCacheOptions {
  /** The most entries kept in memory. Default 10 000. */
  maxEntries?: number;
  /** The most payload bytes kept in memory (encoded size). Default 64 MiB. */
  maxBytes?: number;
}

/** Options of `Conn.open`. All optional; validated once, when the connection opens. */
export interface Options {
  /** How long a lock lives in Redis (ms). Renewed while a slow loader runs. Default 10 000; at least 100. */
  lockTTLMs?: number;
  /** Prefix of lock values. Default `__redcache:lock:`; must not overlap `__redcache:v1:` either way. */
  lockPrefix?: string;
  /** Prefix of refresh-ahead lock keys. Default `__redcache:refresh:`. */
  refreshLockPrefix?: string;
  /** Refresh a value once it has lived this fraction of its ttl; in [0, 1); 0 turns refresh off. */
  refreshAfterFraction?: number;
  /** XFetch beta (>= 0); 0 refreshes deterministically below the floor. */
  refreshBeta?: number;
  /** Background refresh workers. Default 4. */
  refreshWorkers?: number;
  /** Refresh jobs that may wait for a worker. Default 64. */
  refreshQueueSize?: number;
  /**
   * Time a refresh loader may run (ms), at most 2^31 − 1 (about 24.8 days, the longest timer).
   * Default: the ttl of the call that triggered it, capped at that.
   */
  refreshTimeoutMs?: number;
  /** Bounds of the in-memory near cache, or `false` to keep no values in memory. */
  nearCache?: NearCacheOptions | false;
  logger?: Logger;
  metrics?: Metrics;
}
