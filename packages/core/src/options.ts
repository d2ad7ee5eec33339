import type { Duration } from './input/duration.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * Bounds of the in-memory near cache (`Options.nearCache`). Past either, entries are evicted
 * oldest first, an entry used since the last pass skipped once.
 */
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
  /** How long a fallback is kept after it stopped being fresh: ms, or a string such as `'10m'`. */
  maxStaleMs: Duration;
  /**
   * After a fallback was served because the loader failed, the loader is not called again for
   * that key in this process for this long (ms, or a string such as `'5s'`; 0 for no pause);
   * the fallback is served meanwhile. Default 1 000.
   */
  throttleMs?: Duration;
}

/**
 * Loader timeouts: ms, or strings such as `'200ms'`, `'2s'`. Either or both (`softMs` less than
 * `hardMs`); without them a loader may run as long as its caller waits.
 */
export interface LoaderTimeoutOptions {
  /**
   * With a fallback at hand (fail-safe), callers get it at this point while the loader goes on
   * in the background, keeps its lock, and writes its value when it completes.
   */
  softMs?: Duration;
  /**
   * Callers reject with `LoaderTimeoutError`, the loader's signal aborts, and its lock is released
   * so another process can take over at once.
   */
  hardMs?: Duration;
}

/** When the Conn finds Redis down (see `RedisUnavailableError`). */
export interface BreakerOptions {
  /** Command timeouts in a row that open the breaker. Default 3. */
  timeouts?: number;
  /** How often a PING probes Redis while the breaker is open: ms, or a string such as `'1s'`. Default 1 000. */
  probeIntervalMs?: Duration;
}

/**
 * Options of `Conn.open`. All optional; validated once, when the connection opens, and an
 * `InvalidOptionsError` names every option that is wrong.
 *
 * Every length of time (the options whose names end in `Ms`) is a `Duration`: a number of
 * milliseconds, or a number and a unit (`'250ms'`, `'90s'`, `'5m'`, `'1h'`, `'7d'`). The names
 * keep their `Ms` because a number is milliseconds.
 */
export interface Options {
  /** How long a lock lives in Redis (ms, or a string such as `'10s'`). Renewed while a slow loader runs. Default 10 000; at least 100. */
  lockTTLMs?: Duration;
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
   * Time a refresh loader may run (ms, or a string such as `'30s'`), at most 2^31 − 1 ms (about
   * 24.8 days, the longest timer). Default: the ttl of the call that triggered it, capped at that.
   */
  refreshTimeoutMs?: Duration;
  /**
   * The longest a Redis round trip may take (ms, or a string such as `'500ms'`) before the call
   * fails with `CommandTimeoutError`; `false` for no bound. Default 1 000.
   */
  commandTimeoutMs?: Duration | false;
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
  /**
   * Where redcache's log records go (see docs/logging.md): `console`, `pinoLogger(pino())`, or
   * any `Logger`. Default: `silentLogger`, which writes nothing.
   */
  logger?: Logger;
  /** What receives the Conn's counts and timings (for example `@redcache/otel`'s). Default: `noopMetrics`. */
  metrics?: Metrics;
}
