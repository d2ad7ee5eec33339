import { EventListeners } from './event-listeners.js';

/**
 * The driver's invalidation subscribers (see `Driver.onInvalidate`): a key, or `null` for every
 * key. A listener that throws becomes a `REDCACHE_INVALIDATION_LISTENER` warning (see
 * `EventListeners`).
 */
export class InvalidationListeners {
  readonly #listeners = new EventListeners<string | null>('REDCACHE_INVALIDATION_LISTENER');

  /** Subscribes `listener`, and returns what unsubscribes it. */
  add(listener: (key: string | null) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Tells every listener that `key` (`null`: every key) may have changed. Never throws. */
  emit(key: string | null): void {
    this.#listeners.emit(key);
  }

  /** Unsubscribes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
