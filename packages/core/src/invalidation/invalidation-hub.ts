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
 * What the pushes said about the keys of tracked commands, once every one of them has
 * answered. A read crossed by any push is returned but not stored; a write of ours is crossed
 * by exactly one push of its own (Redis invalidates the writer too), so a second one means
 * someone else wrote the key after us.
 */
export interface PushVerdict {
  /** True when no push for `key` (and no flush) arrived while the commands were in flight. */
  isClean(key: string): boolean;
  /** Pushes for `key` while the commands were in flight; Infinity after a flush. */
  pushes(key: string): number;
}

/** What `send` returned, and the verdict on its keys. */
export interface Tracked<T> {
  readonly result: T;
  readonly verdict: PushVerdict;
}

interface WaiterEntry {
  readonly wake: (reason: WakeReason) => void;
}

interface TicketEntry {
  readonly keys: readonly string[];
  pushes: Map<string, number> | 'all' | undefined;
}

/**
 * Routes invalidations: takes near-cache entries out of freshness (dropped, or kept as
 * fail-safe fallbacks only), wakes the waiters of a key, and marks the
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

  /**
   * Counts the pushes for `keys` from now until `send` (every command over them, all slot
   * groups) has settled, and only then hands out the verdict: a push that lands after one
   * group answered but before the last did still counts, so no early verdict can be taken.
   * Rejects as `send` does.
   */
  async track<T>(keys: Iterable<string>, send: () => Promise<T>): Promise<Tracked<T>> {
    const entry: TicketEntry = { keys: [...new Set(keys)], pushes: undefined };
    for (const key of entry.keys) {
      let set = this.#tickets.get(key);
      if (set === undefined) {
        set = new Set();
        this.#tickets.set(key, set);
      }
      set.add(entry);
    }
    try {
      const result = await send();
      return { result, verdict: verdictOf(entry.pushes) };
    } finally {
      for (const key of entry.keys) this.#remove(this.#tickets, key, entry);
    }
  }

  /** The invalidation handler: `key` changed, or `null` for everything. */
  invalidate(key: string | null): void {
    if (key === null) {
      // Fresh entries become fallbacks (fail-safe), or go: pushes may have been lost.
      this.#nearCache?.demoteAll(performance.now());
      for (const set of this.#tickets.values()) for (const ticket of set) ticket.pushes = 'all';
      const all = [...this.#waiters.values()];
      this.#waiters.clear();
      for (const set of all) for (const waiter of set) waiter.wake('flush');
      return;
    }
    // The old value stays a fallback only (fail-safe): see docs/fail-safe.md, "A push".
    this.#nearCache?.demote(key, performance.now());
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

/** The verdict on counts no push can change any more (the ticket is gone from the hub). */
function verdictOf(counted: TicketEntry['pushes']): PushVerdict {
  const pushes = (key: string) =>
    counted === undefined ? 0 : counted === 'all' ? Number.POSITIVE_INFINITY : (counted.get(key) ?? 0);
  return { isClean: (key) => pushes(key) === 0, pushes };
}
