import type { InvalidationListener } from '@redcache/core';

/**
 * The driver's invalidation subscribers. Each listener runs in turn; one that throws does not
 * stop the others, and its error becomes a process warning: a throw must not escape into
 * node-redis, which would take it for a protocol error and reset its decoder.
 */
export class InvalidationListeners {
  readonly #listeners = new Set<InvalidationListener>();

  add(listener: InvalidationListener): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry: InvalidationListener = (key) => listener(key);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(key: string | null): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(key);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), {
          code: 'REDCACHE_INVALIDATION_LISTENER',
        });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
