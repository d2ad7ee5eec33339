import type { ResolvedOptions } from '../config/resolve-options.js';
import type { RuntimeDriver } from '../driver/runtime-driver.js';
import type { FlightRegistry } from '../flight/single-flight.js';
import type { InvalidationHub } from '../invalidation/invalidation-hub.js';
import type { HeldLock } from '../lock/held-lock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { NearCache } from '../near-cache/near-cache.js';
import type { RefreshPool } from '../refresh/refresh-pool.js';
import type { LockTokens } from '../wire/lock-token.js';

/** What the engine's procedures share: one per connection. */
export interface EngineContext {
  readonly options: ResolvedOptions;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly driver: RuntimeDriver;
  readonly hub: InvalidationHub;
  readonly nearCache: NearCache | undefined;
  readonly tokens: LockTokens;
  readonly flights: FlightRegistry;
  /** Locks this process holds, by key: released (or rolled back) by `close()`. */
  readonly heldLocks: Map<string, HeldLock>;
  /** Aborted, with a `ClosedError`, when the connection closes. */
  readonly closeSignal: AbortSignal;
  /** The lock prefix as bytes, to tell a lock from a value without decoding. */
  readonly lockPrefixBytes: Uint8Array;
  /** The refresh-ahead workers, when refresh is on. */
  readonly refresh: RefreshPool | undefined;
  /** Throws `ClosedError` once the connection is closed. */
  assertOpen(op: string, key?: unknown): void;
}
