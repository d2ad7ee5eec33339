import { EventListeners } from './event-listeners.js';

/** The driver's invalidation subscribers: a key, or `null` for every key (see event-listeners.ts). */
export class InvalidationListeners extends EventListeners<string | null> {
  constructor() {
    super('REDCACHE_INVALIDATION_LISTENER');
  }
}
