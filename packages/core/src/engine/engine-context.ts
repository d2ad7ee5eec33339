import type { AllMetrics } from '../config/all-metrics.js';
import type { ResolvedOptions } from '../config/resolve-options.js';
import type { RuntimeDriver } from '../driver/runtime-driver.js';
import type { FlightRegistry } from '../flight/single-flight.js';
import type { RedisHealth } from '../health/redis-health.js';
import type { InvalidationHub } from '../invalidation/invalidation-hub.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { LockManager } from '../lock/lock-manager.js';
import type { Logger } from '../logger.js';
import type { NearCache } from '../near-cache/near-cache.js';
import type { RefreshPool } from '../refresh/refresh-pool.js';

/** What the engine's procedures share: one per connection. */
export interface EngineContext {
  readonly options: ResolvedOptions;
  readonly metrics: AllMetrics;
  readonly logger: Logger;
  readonly driver: RuntimeDriver;
  readonly hub: InvalidationHub;
  readonly nearCache: NearCache | undefined;
  readonly flights: FlightRegistry;
  /** The one owner of this connection's locks. */
  readonly locks: LockManager;
  /** Open or closing; every piece of work registers with it as an operation. */
  readonly lifecycle: Lifecycle;
  /** The lock prefix as bytes, to tell a lock from a value without decoding. */
  readonly lockPrefixBytes: Uint8Array;
  /** The refresh-ahead workers, when refresh is on. */
  readonly refresh: RefreshPool | undefined;
  /**
   * The breaker: `health.down` is true while Redis is found down (calls that need it then fail
   * at once with `RedisUnavailableError`); `health.onChange(listener)` hears each transition.
   */
  readonly health: RedisHealth;
}
