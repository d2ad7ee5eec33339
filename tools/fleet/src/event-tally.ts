import type { LogAttributes, Logger } from '@redcache/core';

/** What the engine's debug log said, for one key or in total. A live record: it keeps counting. */
export interface EngineEvents {
  /** `SET NX` locks sent ('redcache: lock attempt'). */
  lockAttempts: number;
  /** Of those, the ones that won the lock. */
  locksAcquired: number;
  /** Waits that ended ('redcache: wait ended'), by reason: invalidation, flush, poll, timeout, aborted. */
  wakes: Record<string, number>;
}

export interface EventTallyOptions {
  /** The engine's warnings and errors: printed with `console.warn`/`console.error` (the default) or dropped. */
  readonly problems?: 'console' | 'ignore';
}

const noEvents = (): EngineEvents => ({ lockAttempts: 0, locksAcquired: 0, wakes: {} });

/**
 * A redcache `Logger` that tallies two debug events, in total (its own fields) and per key
 * (`of(key)`): every `SET NX` sent ('redcache: lock attempt' {op, key, acquired}) and how
 * every wait ended ('redcache: wait ended' {op, keys, reason, waitedMs}). A wait on several
 * keys counts once in total, and once for each of its keys.
 */
export class EventTally implements Logger, EngineEvents {
  lockAttempts = 0;
  locksAcquired = 0;
  readonly wakes: Record<string, number> = {};
  readonly #byKey = new Map<string, EngineEvents>();
  readonly #printProblems: boolean;

  constructor(options: EventTallyOptions = {}) {
    this.#printProblems = options.problems !== 'ignore';
  }

  /** The events of `key` so far. */
  of(key: string): EngineEvents {
    let events = this.#byKey.get(key);
    if (events === undefined) {
      events = noEvents();
      this.#byKey.set(key, events);
    }
    return events;
  }

  debug(message: string, attributes?: LogAttributes): void {
    if (message === 'redcache: lock attempt') {
      const acquired = attributes?.acquired === true;
      for (const events of [this, this.of(String(attributes?.key))]) {
        events.lockAttempts++;
        if (acquired) events.locksAcquired++;
      }
    } else if (message === 'redcache: wait ended') {
      const reason = String(attributes?.reason);
      const keys = Array.isArray(attributes?.keys) ? (attributes.keys as unknown[]) : [];
      addOne(this.wakes, reason);
      for (const key of keys) addOne(this.of(String(key)).wakes, reason);
    }
  }

  info(): void {}
  warn(message: string, attributes?: LogAttributes): void {
    if (this.#printProblems) console.warn(message, attributes ?? '');
  }
  error(message: string, attributes?: LogAttributes): void {
    if (this.#printProblems) console.error(message, attributes ?? '');
  }
}

function addOne(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}
