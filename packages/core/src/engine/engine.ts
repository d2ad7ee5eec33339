import type { ResolvedOptions } from '../config/resolve-options.js';
import { RuntimeDriver } from '../driver/runtime-driver.js';
import type { Driver } from '../driver.js';
import { ClosedError } from '../errors/errors.js';
import { FlightRegistry } from '../flight/single-flight.js';
import { InvalidationHub } from '../invalidation/invalidation-hub.js';
import type { HeldLock } from '../lock/held-lock.js';
import { releaseLocks } from '../lock/lock-ops.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { NearCache } from '../near-cache/near-cache.js';
import { RefreshPool } from '../refresh/refresh-pool.js';
import { runRefresh } from '../refresh/run-refresh.js';
import { LockTokens } from '../wire/lock-token.js';
import type { EngineContext } from './engine-context.js';

/** How long `close()` waits for refreshes to stop, and then for held locks to be released. */
const CLOSE_BOUND_MS = 1000;

/** One connection's engine: the state every view of a `Conn` shares. */
export class Engine implements EngineContext {
  readonly options: ResolvedOptions;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly driver: RuntimeDriver;
  readonly hub: InvalidationHub;
  readonly nearCache: NearCache | undefined;
  readonly tokens: LockTokens;
  readonly flights = new FlightRegistry();
  readonly heldLocks = new Map<string, HeldLock>();
  readonly lockPrefixBytes: Uint8Array;
  readonly refresh: RefreshPool | undefined;
  readonly #closeController = new AbortController();
  readonly #unsubscribe: () => void;
  #closing: Promise<void> | undefined;

  constructor(driver: Driver, options: ResolvedOptions) {
    this.options = options;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.driver = new RuntimeDriver(driver, options.metrics);
    this.nearCache = options.nearCache === false ? undefined : new NearCache(options.nearCache);
    this.hub = new InvalidationHub(this.nearCache);
    this.tokens = new LockTokens(options.lockPrefix);
    this.lockPrefixBytes = new TextEncoder().encode(options.lockPrefix);
    this.refresh =
      options.refreshAfterFraction > 0
        ? new RefreshPool(
            { workers: options.refreshWorkers, queueSize: options.refreshQueueSize },
            options.metrics,
            options.logger,
            (job, keys, signal) => runRefresh(this, job, keys, signal),
          )
        : undefined;
    this.#unsubscribe = this.driver.onInvalidate((key) => this.#onInvalidate(key));
  }

  get closeSignal(): AbortSignal {
    return this.#closeController.signal;
  }

  assertOpen(op: string, key?: unknown): void {
    if (this.#closeController.signal.aborted) throw new ClosedError(op, key);
  }

  /**
   * Closes once: rejects every pending call with `ClosedError`, aborts loaders and waits,
   * releases the locks this process holds (bounded), then closes the driver.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const error = new ClosedError('close');
    this.#closeController.abort(error);
    this.flights.rejectAll(error);
    this.#unsubscribe();
    this.nearCache?.clear();
    await this.refresh?.close(CLOSE_BOUND_MS);
    const held = new Map(this.heldLocks);
    this.heldLocks.clear();
    if (held.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        releaseLocks(this, held),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_BOUND_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    await this.driver.close();
  }

  #onInvalidate(key: string | null): void {
    try {
      this.hub.invalidate(key);
    } catch (error) {
      this.metrics.invalidationError();
      this.logger.error('redcache: invalidation handling failed', { key, error: (error as Error).message });
    }
  }
}
