import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface NearCacheOptions {
  /** The most entries kept in memory. Default 10 000. */
  maxEntries?: number;
  /** The most bytes kept in memory: each entry counts its stored (encoded) bytes and its key in UTF-8. Default 64 MiB. */
  maxBytes?: number;
}

/**
 * Fail-safe: values kept in memory past their ttl, or after a lost connection dropped them
 * from coherence, as fallbacks only (never served as fresh). When a loader throws or times out,
 * or Redis is down, a `get` with a fallback at hand returns it instead of the error.
 */
export interface FailSafeOptions {
  /** How long a fallback is kept after it stopped being fresh (ms). */
  maxStaleMs: number;
  /**
   * After a fallback was served because the loader failed, the loader is not called again for
   * that key in this process for this long (ms); the fallback is served meanwhile. Default 1 000.
   */
  throttleMs?: number;
}

/** Loader timeouts (ms). Either or both; without them a loader may run as long as its caller waits. */
export interface LoaderTimeoutOptions {
  /**
   * With a fallback at hand (fail-safe), callers get it at this point while the loader goes on
   * in the background, keeps its lock, and writes its value when it completes.
   */
  softMs?: number;
  /**
   * Callers reject with `LoaderTimeoutError`, the loader's signal aborts, and its lock is released
   * so another process can take over at once.
   */
  hardMs?: number;
}

/** When the Conn finds Redis down (see `RedisUnavailableError`). */
export interface BreakerOptions {
  /** Command timeouts in a row that open the breaker. Default 3. */
  timeouts?: number;
  /** How often a PING probes Redis while the breaker is open (ms). Default 1 000. */
  probeIntervalMs?: number;
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
  /**
   * The longest a Redis round trip may take (ms) before the call fails with
   * `CommandTimeoutError`; `false` for no bound. Default 1 000.
   */
  commandTimeoutMs?: number | false;
  /** When calls stop waiting for a Redis that is down, and how it is probed. */
  breaker?: BreakerOptions;
  /**
   * What a `get`/`getMulti` does when Redis cannot be reached: `'fail'` (default) rejects;
   * `'load'` runs the loader here (one call per key per process, no fleet-wide lock) and returns
   * its value without storing it. Writes always fail fast.
   */
  whenRedisIsDown?: 'fail' | 'load';
  /** Keep fallbacks (see `FailSafeOptions`), or `false` (default) to keep none. Per call too. */
  failSafe?: FailSafeOptions | false;
  /** Loader timeouts (see `LoaderTimeoutOptions`). Per call too. */
  loaderTimeout?: LoaderTimeoutOptions;
  /** Bounds of the in-memory near cache, or `false` to keep no values in memory. */
  nearCache?: NearCacheOptions | false;
  logger?: Logger;
  metrics?: Metrics;
}
