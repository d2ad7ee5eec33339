import type { NearCache } from './near-cache.js';

/** What ended a wait: a push for the key, a flush or lost connection, or (set by the waiter) a poll or timeout. */
export type WakeReason = 'invalidation' | 'flush' | 'poll' | 'timeout';

/** A wait registered before the read it follows, so no push can slip between them. */
export interface Waiter {
  readonly key: string;
  readonly changed: Promise<WakeReason>;
  dispose(): void;
}

/** Reads in flight: a key invalidated before its reply arrives is returned but not stored. */
export interface ReadTicket {
  isClean(key: string): boolean;
  end(): void;
}

interface WaiterEntry {
  readonly wake: (reason: WakeReason) => void;
}

interface TicketEntry {
  readonly keys: readonly string[];
  dirty: Set<string> | 'all' | undefined;
}

/**
 * Routes invalidations: drops near-cache entries, wakes the waiters of a key, and marks the
 * reads in flight for it. A `null` invalidation (flush, lost connection) does all of that
 * for every key. Everything here runs synchronously inside the push handler.
 */
export class InvalidationHub {
  readonly #nearCache: NearCache | undefined;
  readonly #waiters = new Map<string, Set<WaiterEntry>>();
  readonly #tickets = new Map<string, Set<TicketEntry>>();
  #epoch = 0;

  constructor(nearCache: NearCache | undefined) {
    this.#nearCache = nearCache;
  }

  /** Grows on every flush: a write whose reply crosses a flush must not be cached. */
  get epoch(): number {
    return this.#epoch;
  }

  register(key: string): Waiter {
    let wake!: (reason: WakeReason) => void;
    const changed = new Promise<WakeReason>((resolve) => {
      wake = resolve;
    });
    const entry: WaiterEntry = { wake };
    let set = this.#waiters.get(key);
    if (set === undefined) {
      set = new Set();
      this.#waiters.set(key, set);
    }
    set.add(entry);
    return {
      key,
      changed,
      dispose: () => this.#remove(this.#waiters, key, entry),
    };
  }

  beginRead(keys: readonly string[]): ReadTicket {
    const entry: TicketEntry = { keys, dirty: undefined };
    for (const key of keys) {
      let set = this.#tickets.get(key);
      if (set === undefined) {
        set = new Set();
        this.#tickets.set(key, set);
      }
      set.add(entry);
    }
    return {
      isClean: (key) => entry.dirty === undefined || (entry.dirty !== 'all' && !entry.dirty.has(key)),
      end: () => {
        for (const key of keys) this.#remove(this.#tickets, key, entry);
      },
    };
  }

  /** The invalidation handler: `key` changed, or `null` for everything. */
  invalidate(key: string | null): void {
    if (key === null) {
      this.#epoch++;
      this.#nearCache?.clear();
      for (const set of this.#tickets.values()) for (const ticket of set) ticket.dirty = 'all';
      const all = [...this.#waiters.values()];
      this.#waiters.clear();
      for (const set of all) for (const waiter of set) waiter.wake('flush');
      return;
    }
    this.#nearCache?.delete(key);
    const tickets = this.#tickets.get(key);
    if (tickets !== undefined) {
      for (const ticket of tickets) {
        if (ticket.dirty === undefined) ticket.dirty = new Set();
        if (ticket.dirty !== 'all') ticket.dirty.add(key);
      }
    }
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) {
      this.#waiters.delete(key);
      for (const waiter of waiters) waiter.wake('invalidation');
    }
  }

  #remove<T>(map: Map<string, Set<T>>, key: string, entry: T): void {
    const set = map.get(key);
    if (set === undefined) return;
    set.delete(entry);
    if (set.size === 0) map.delete(key);
  }
}
