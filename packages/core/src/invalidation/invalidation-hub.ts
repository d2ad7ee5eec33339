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

/** A key's entries: one held as it is (the usual case: no Set), more in a Set. */
type Slot<T> = T | Set<T>;

function addTo<T extends object>(map: Map<string, Slot<T>>, key: string, entry: T): void {
  const slot = map.get(key);
  if (slot === undefined) map.set(key, entry);
  else if (slot instanceof Set) slot.add(entry);
  else if (slot !== entry) map.set(key, new Set([slot, entry]));
}

function removeFrom<T extends object>(map: Map<string, Slot<T>>, key: string, entry: T): void {
  const slot = map.get(key);
  if (slot === entry) map.delete(key);
  else if (slot instanceof Set) {
    slot.delete(entry);
    if (slot.size === 0) map.delete(key);
  }
}

function eachOf<T extends object>(slot: Slot<T>, run: (entry: T) => void): void {
  if (slot instanceof Set) for (const entry of slot) run(entry);
  else run(slot);
}

/** A registered wait. Its promise is made only when someone awaits it (most reads find a value or win the lock). */
class HubWaiter implements Waiter {
  readonly key: string;
  readonly #registry: Map<string, Slot<HubWaiter>>;
  #reason: WakeReason | undefined;
  #resolve: ((reason: WakeReason) => void) | undefined;
  #changed: Promise<WakeReason> | undefined;

  constructor(key: string, registry: Map<string, Slot<HubWaiter>>) {
    this.key = key;
    this.#registry = registry;
  }

  get changed(): Promise<WakeReason> {
    if (this.#changed === undefined) {
      const reason = this.#reason;
      this.#changed =
        reason !== undefined
          ? Promise.resolve(reason)
          : new Promise<WakeReason>((resolve) => {
              this.#resolve = resolve;
            });
    }
    return this.#changed;
  }

  /** The first wake counts. */
  wake(reason: WakeReason): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#resolve?.(reason);
  }

  dispose(): void {
    removeFrom(this.#registry, this.key, this);
  }
}

/** The pushes counted for one tracked send; once the send settled (and the ticket left the hub), its verdict. */
class Ticket implements PushVerdict {
  readonly keys: readonly string[];
  /** Pushes counted: for the one key of a one-key ticket, a number; else by key. */
  #counted: Map<string, number> | number | 'all' = 0;

  constructor(keys: readonly string[]) {
    this.keys = keys;
  }

  count(key: string): void {
    const counted = this.#counted;
    if (counted === 'all') return;
    if (typeof counted === 'number' && this.keys.length === 1) {
      this.#counted = counted + 1;
      return;
    }
    const byKey = typeof counted === 'number' ? new Map<string, number>() : counted;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    this.#counted = byKey;
  }

  countAll(): void {
    this.#counted = 'all';
  }

  isClean(key: string): boolean {
    return this.pushes(key) === 0;
  }

  pushes(key: string): number {
    const counted = this.#counted;
    if (counted === 'all') return Number.POSITIVE_INFINITY;
    if (typeof counted === 'number') return this.keys.length === 1 && this.keys[0] === key ? counted : 0;
    return counted.get(key) ?? 0;
  }
}

/**
 * Routes invalidations: takes near-cache entries out of freshness (dropped, or kept as
 * fail-safe fallbacks only), wakes the waiters of a key, and marks the
 * reads in flight for it. A `null` invalidation (flush, lost connection) does all of that
 * for every key. Everything here runs synchronously inside the push handler.
 */
export class InvalidationHub {
  readonly #nearCache: NearCache | undefined;
  readonly #waiters = new Map<string, Slot<HubWaiter>>();
  readonly #tickets = new Map<string, Slot<Ticket>>();

  constructor(nearCache: NearCache | undefined) {
    this.#nearCache = nearCache;
  }

  register(key: string): Waiter {
    const waiter = new HubWaiter(key, this.#waiters);
    addTo(this.#waiters, key, waiter);
    return waiter;
  }

  /**
   * Counts the pushes for `keys` from now until `send` (every command over them, all slot
   * groups) has settled, and only then hands out the verdict: a push that lands after one
   * group answered but before the last did still counts, so no early verdict can be taken.
   * Rejects as `send` does.
   */
  async track<T>(keys: Iterable<string>, send: () => Promise<T>): Promise<Tracked<T>> {
    const verdict = this.startTracking(Array.isArray(keys) ? (keys as readonly string[]) : [...keys]);
    try {
      const result = await send();
      return { result, verdict };
    } finally {
      this.stopTracking(verdict);
    }
  }

  /**
   * `track` for a caller that awaits its commands itself (no frame of its own on a hot path):
   * pushes for `keys` are counted from now until `stopTracking` is called with what this
   * returns, which the caller does once every command over them has settled; the verdict
   * holds from then on.
   */
  startTracking(keys: readonly string[]): PushVerdict {
    // A key named twice is registered once (the ticket is its key's entry already).
    const ticket = new Ticket(keys);
    for (const key of keys) addTo(this.#tickets, key, ticket);
    return ticket;
  }

  /** Ends a `startTracking`: the keys' pushes are no longer counted for it. */
  stopTracking(verdict: PushVerdict): void {
    const ticket = verdict as Ticket;
    for (const key of ticket.keys) removeFrom(this.#tickets, key, ticket);
  }

  /** The invalidation handler: `key` changed, or `null` for everything. */
  invalidate(key: string | null): void {
    if (key === null) {
      // Fresh entries become fallbacks (fail-safe), or go: pushes may have been lost.
      this.#nearCache?.demoteAll(performance.now());
      for (const slot of this.#tickets.values()) eachOf(slot, (ticket) => ticket.countAll());
      const all = [...this.#waiters.values()];
      this.#waiters.clear();
      for (const slot of all) eachOf(slot, (waiter) => waiter.wake('flush'));
      return;
    }
    // The old value stays a fallback only (fail-safe): see docs/fail-safe.md, "A push".
    this.#nearCache?.demote(key);
    // Loops, not `eachOf`: no closure per push.
    const tickets = this.#tickets.get(key);
    if (tickets instanceof Set) for (const ticket of tickets) ticket.count(key);
    else tickets?.count(key);
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    this.#waiters.delete(key);
    if (waiters instanceof Set) for (const waiter of waiters) waiter.wake('invalidation');
    else waiters.wake('invalidation');
  }
}
