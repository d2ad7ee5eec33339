/**
 * A driver's subscribers to one kind of event. Each listener runs in turn; one that throws does
 * not stop the others, and its error becomes a process warning (with `warningCode`): a throw
 * must not escape into the Redis client that delivered the event (node-redis, for one, takes it
 * for a protocol error and resets its decoder).
 */
export class EventListeners<T> {
  readonly #listeners = new Set<(event: T) => void>();
  /** The listeners as `emit` calls them, made once per change (not per event: one per push). */
  #snapshot: ReadonlyArray<(event: T) => void> | undefined;
  readonly #warningCode: string;

  /** `warningCode`: the `code` of the process warning a throwing listener becomes. */
  constructor(warningCode: string) {
    this.#warningCode = warningCode;
  }

  /** Subscribes `listener`; returns its unsubscribe (the same function added twice is two subscriptions). */
  add(listener: (event: T) => void): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry = (event: T) => listener(event);
    this.#listeners.add(entry);
    this.#snapshot = undefined;
    return () => {
      if (this.#listeners.delete(entry)) this.#snapshot = undefined;
    };
  }

  /** Calls every listener with `event` (one added meanwhile hears the next event only). Never throws. */
  emit(event: T): void {
    // A snapshot: a listener added while this event is delivered hears the next one only.
    this.#snapshot ??= [...this.#listeners];
    for (const listener of this.#snapshot) {
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), {
          code: this.#warningCode,
        });
      }
    }
  }

  /** Unsubscribes every listener. */
  clear(): void {
    this.#listeners.clear();
    this.#snapshot = undefined;
  }
}
