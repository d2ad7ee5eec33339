/**
 * Which connection read which key (Redis client tracking, default mode). Tracking is
 * one-shot: `take` hands out every connection tracking a key and forgets them, so a
 * connection hears of the next change only if it reads the key again.
 */
export class TrackingTable<C> {
  readonly #byKey = new Map<string, Set<C>>();
  readonly #byConnection = new Map<C, Set<string>>();

  track(connection: C, key: string): void {
    let connections = this.#byKey.get(key);
    if (connections === undefined) {
      connections = new Set();
      this.#byKey.set(key, connections);
    }
    connections.add(connection);
    let keys = this.#byConnection.get(connection);
    if (keys === undefined) {
      keys = new Set();
      this.#byConnection.set(connection, keys);
    }
    keys.add(key);
  }

  /** The connections tracking `key`, which stop tracking it. */
  take(key: string): C[] {
    const connections = this.#byKey.get(key);
    if (connections === undefined) return [];
    this.#byKey.delete(key);
    for (const connection of connections) this.#byConnection.get(connection)?.delete(key);
    return [...connections];
  }

  /** Whether `connection` tracks `key` (for tests and assertions). */
  isTracking(connection: C, key: string): boolean {
    return this.#byKey.get(key)?.has(connection) ?? false;
  }

  /** Forgets everything `connection` tracks (it closed or lost its socket). */
  forget(connection: C): void {
    for (const key of this.#byConnection.get(connection) ?? []) {
      const connections = this.#byKey.get(key);
      connections?.delete(connection);
      if (connections?.size === 0) this.#byKey.delete(key);
    }
    this.#byConnection.delete(connection);
  }

  clear(): void {
    this.#byKey.clear();
    this.#byConnection.clear();
  }
}
