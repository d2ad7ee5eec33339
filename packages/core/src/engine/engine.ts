import type { AllMetrics } from '../config/all-metrics.js';
import type { ResolvedOptions } from '../config/resolve-options.js';
import { RuntimeDriver } from '../driver/runtime-driver.js';
import type { Driver } from '../driver.js';
import { ClosedError } from '../errors/errors.js';
import { FlightRegistry } from '../flight/single-flight.js';
import { RedisHealth } from '../health/redis-health.js';
import { InvalidationHub } from '../invalidation/invalidation-hub.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { LockManager } from '../lock/lock-manager.js';
import type { Logger } from '../logger.js';
import { NearCache } from '../near-cache/near-cache.js';
import { RefreshPool } from '../refresh/refresh-pool.js';
import { runRefresh } from '../refresh/run-refresh.js';
import type { EngineContext } from './engine-context.js';
import { metricsSourceOf } from './metrics-source.js';

/**
 * How long `close()` waits for the work in flight to end and release what it holds (each
 * procedure releases its own locks), then for any lock still held to be released. Then the
 * driver closes, within its own bound (node-redis: 1 s).
 */
export const CLOSE_DRAIN_MS = 1000;

/** One connection's engine: the state every view of a `Conn` shares. */
export class Engine implements EngineContext {
  readonly options: ResolvedOptions;
  readonly metrics: AllMetrics;
  readonly logger: Logger;
  readonly driver: RuntimeDriver;
  readonly hub: InvalidationHub;
  readonly nearCache: NearCache | undefined;
  readonly flights = new FlightRegistry();
  readonly locks: LockManager;
  readonly lifecycle = new Lifecycle();
  readonly lockPrefixBytes: Uint8Array;
  readonly refresh: RefreshPool | undefined;
  readonly health: RedisHealth;
  readonly #unsubscribe: () => void;
  readonly #unsubscribeHealth: () => void;
  /** Tells the metrics this connection is gone (what `Metrics.observe` returned, if anything). */
  readonly #unobserve: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(driver: Driver, options: ResolvedOptions) {
    this.options = options;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.nearCache =
      options.nearCache === false ? undefined : new NearCache(options.nearCache, options.metrics);
    this.hub = new InvalidationHub(this.nearCache);
    this.health = new RedisHealth({
      breaker: options.breaker,
      logger: options.logger,
      metrics: options.metrics,
      flush: () => this.#onInvalidate(null),
      ping: () => this.driver.probe(),
      checkTimeoutMs:
        options.commandTimeoutMs === false ? options.breaker.probeIntervalMs : options.commandTimeoutMs,
    });
    this.driver = new RuntimeDriver(driver, options.metrics, {
      commandTimeoutMs: options.commandTimeoutMs,
      health: this.health,
    });
    this.locks = new LockManager({
      driver: this.driver,
      logger: options.logger,
      lockTTLMs: options.lockTTLMs,
      lockPrefix: options.lockPrefix,
    });
    this.lockPrefixBytes = new TextEncoder().encode(options.lockPrefix);
    this.refresh =
      options.refreshAfterFraction > 0
        ? new RefreshPool(
            { workers: options.refreshWorkers, queueSize: options.refreshQueueSize },
            options.metrics,
            options.logger,
            (job, keys) => runRefresh(this, job, keys),
          )
        : undefined;
    this.#unsubscribe = this.driver.onInvalidate((key) => this.#onInvalidate(key));
    this.#unsubscribeHealth = this.driver.onHealth((event) => this.health.driverReported(event));
    const unobserve = this.metrics.observe(metricsSourceOf(this.nearCache, this.health));
    this.#unobserve = typeof unobserve === 'function' ? unobserve : undefined;
  }

  /**
   * Closes once. At once: no new work, no new lock, nothing more stored in the near cache,
   * every pending call rejected with `ClosedError`, every operation aborted. Then, within
   * `CLOSE_DRAIN_MS`: the operations end (each releases its own locks, restoring what a write
   * replaced) and any lock still held is released. Then the driver closes. The breaker's
   * probe stops at once, and the breaker stays as it is (a call during the drain still fails
   * fast while Redis is down).
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const deadline = performance.now() + CLOSE_DRAIN_MS;
    this.#unobserve?.();
    this.lifecycle.stop();
    this.locks.close();
    this.nearCache?.close();
    this.refresh?.close();
    this.flights.rejectAll(new ClosedError('close'));
    this.#unsubscribe();
    this.#unsubscribeHealth();
    this.health.close();
    await this.lifecycle.drained(CLOSE_DRAIN_MS);
    await withinMs(this.locks.releaseAll(), deadline - performance.now());
    await this.driver.close();
  }

  #onInvalidate(key: string | null): void {
    try {
      this.hub.invalidate(key);
    } catch (error) {
      this.metrics.invalidationError();
      this.logger.error('redcache: invalidation handling failed', {
        op: 'invalidate',
        key,
        error: (error as Error).message,
      });
    }
  }
}

/** Waits for `work`, at most `ms` (0 or less: not at all). */
async function withinMs(work: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
