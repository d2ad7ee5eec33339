import type { DriverHealthEvent } from '@redcache/core';
import { EventListeners } from '../invalidation/event-listeners.js';

/** The driver's `onHealth` subscribers (see `Driver.onHealth`). */
export class HealthListeners extends EventListeners<DriverHealthEvent> {
  constructor() {
    super('REDCACHE_HEALTH_LISTENER');
  }
}

/** A connection was lost (it failed, reconnects or ended). */
export const CONNECTION_LOST: DriverHealthEvent = { healthy: false, reason: 'connection' };
/** A connection did not answer its liveness PING in time. */
export const LIVENESS_FAILED: DriverHealthEvent = { healthy: false, reason: 'liveness' };
/** A connection is ready (again). */
export const CONNECTION_READY: DriverHealthEvent = { healthy: true, reason: 'ready' };
