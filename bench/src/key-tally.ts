import type { LogAttributes, Logger } from '@redcache/core';

/** What the engine's debug log said about one key. */
export interface KeyEvents {
  lockAttempts: number;
  locksAcquired: number;
  /** How waits ended: invalidation, flush, poll, timeout, aborted. */
  wakes: Record<string, number>;
}

/**
 * A logger that tallies the engine's debug events per key: every `SET NX` sent
 * ('redcache: lock attempt') and how every wait ended ('redcache: wait ended').
 */
export class KeyTally implements Logger {
  readonly #byKey = new Map<string, KeyEvents>();

  /** The events of `key` so far (a live record). */
  of(key: string): KeyEvents {
    let events = this.#byKey.get(key);
    if (events === undefined) {
      events = { lockAttempts: 0, locksAcquired: 0, wakes: {} };
      this.#byKey.set(key, events);
    }
    return events;
  }

  debug(message: string, attributes?: LogAttributes): void {
    if (message === 'redcache: lock attempt') {
      const events = this.of(String(attributes?.key));
      events.lockAttempts++;
      if (attributes?.acquired === true) events.locksAcquired++;
    } else if (message === 'redcache: wait ended') {
      const keys = Array.isArray(attributes?.keys) ? (attributes.keys as unknown[]) : [];
      const reason = String(attributes?.reason);
      for (const key of keys) {
        const wakes = this.of(String(key)).wakes;
        wakes[reason] = (wakes[reason] ?? 0) + 1;
      }
    }
  }

  info(): void {}
  warn(message: string, attributes?: LogAttributes): void {
    console.warn(message, attributes ?? '');
  }
  error(message: string, attributes?: LogAttributes): void {
    console.error(message, attributes ?? '');
  }
}
