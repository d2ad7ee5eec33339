/**
 * A driver's subscribers to one kind of event. Each listener runs in turn; one that throws does
 * not stop the others, and its error becomes a process warning (with `warningCode`): a throw
 * must not escape into node-redis, which would take it for a protocol error and reset its decoder.
 */
export class EventListeners<T> {
  readonly #listeners = new Set<(event: T) => void>();
  /** The listeners as `emit` calls them, made once per change (not per event: one per push). */
  #snapshot: ReadonlyArray<(event: T) => void> | undefined;
  readonly #warningCode: string;

  constructor(warningCode: string) {
    this.#warningCode = warningCode;
  }

  add(listener: (event: T) => void): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry = (event: T) => listener(event);
    this.#listeners.add(entry);
    this.#snapshot = undefined;
    return () => {
      if (this.#listeners.delete(entry)) this.#snapshot = undefined;
    };
  }

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

  clear(): void {
    this.#listeners.clear();
    this.#snapshot = undefined;
  }
}
