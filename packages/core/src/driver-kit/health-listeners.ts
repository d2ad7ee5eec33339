import type { DriverHealthEvent } from '../driver.js';
import { EventListeners } from './event-listeners.js';

/**
 * The driver's `onHealth` subscribers (see `Driver.onHealth`). A listener that throws becomes a
 * `REDCACHE_HEALTH_LISTENER` warning (see `EventListeners`).
 */
export class HealthListeners {
  readonly #listeners = new EventListeners<DriverHealthEvent>('REDCACHE_HEALTH_LISTENER');

  /** Subscribes `listener`, and returns what unsubscribes it. */
  add(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Tells every listener of `event`. Never throws. */
  emit(event: DriverHealthEvent): void {
    this.#listeners.emit(event);
  }

  /** Unsubscribes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}

/** A connection was lost (it failed, reconnects or ended). */
export const CONNECTION_LOST: DriverHealthEvent = { healthy: false, reason: 'connection' };
/** A connection did not answer its liveness PING in time. */
export const LIVENESS_FAILED: DriverHealthEvent = { healthy: false, reason: 'liveness' };
/** A connection is ready (again). */
export const CONNECTION_READY: DriverHealthEvent = { healthy: true, reason: 'ready' };
