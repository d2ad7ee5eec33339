import type { NearCache } from '../near-cache/near-cache.js';

/** What ended a wait: a push for the key, a flush or lost connection, or (set by the waiter) a poll or timeout. */
export type WakeReason = 'invalidation' | 'flush' | 'poll' | 'timeout';

/** A wait registered before the read it follows, so no push can slip between them. */
export interface Waiter {
  readonly key: string;
  readonly changed: Promise<WakeReason>;
  dispose(): void;
}

/**
 * Commands in flight: counts the pushes for each key from the send until the reply is
 * handled. A read crossed by any push is returned but not stored; a write of ours is crossed
 * by exactly one push of its own (Redis invalidates the writer too), so a second one means
 * someone else wrote the key after us.
 */
export interface PushTicket {
  /** True when no push for `key` (and no flush) arrived since the ticket began. */
  isClean(key: string): boolean;
  /** Pushes for `key` since the ticket began; Infinity after a flush. */
  pushes(key: string): number;
  end(): void;
}

interface WaiterEntry {
  readonly wake: (reason: WakeReason) => void;
}

interface TicketEntry {
  readonly keys: readonly string[];
  pushes: Map<string, number> | 'all' | undefined;
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

  constructor(nearCache: NearCache | undefined) {
    this.#nearCache = nearCache;
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

  beginTicket(keys: readonly string[]): PushTicket {
    const entry: TicketEntry = { keys, pushes: undefined };
    const pushes = (key: string) =>
      entry.pushes === undefined
        ? 0
        : entry.pushes === 'all'
          ? Number.POSITIVE_INFINITY
          : (entry.pushes.get(key) ?? 0);
    for (const key of keys) {
      let set = this.#tickets.get(key);
      if (set === undefined) {
        set = new Set();
        this.#tickets.set(key, set);
      }
      set.add(entry);
    }
    return {
      isClean: (key) => pushes(key) === 0,
      pushes,
      end: () => {
        for (const key of keys) this.#remove(this.#tickets, key, entry);
      },
    };
  }

  /** The invalidation handler: `key` changed, or `null` for everything. */
  invalidate(key: string | null): void {
    if (key === null) {
      this.#nearCache?.clear();
      for (const set of this.#tickets.values()) for (const ticket of set) ticket.pushes = 'all';
      const all = [...this.#waiters.values()];
      this.#waiters.clear();
      for (const set of all) for (const waiter of set) waiter.wake('flush');
      return;
    }
    this.#nearCache?.delete(key);
    const tickets = this.#tickets.get(key);
    if (tickets !== undefined) {
      for (const ticket of tickets) {
        if (ticket.pushes === undefined) ticket.pushes = new Map();
        if (ticket.pushes !== 'all') ticket.pushes.set(key, (ticket.pushes.get(key) ?? 0) + 1);
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
