import type { LogAttributes, Logger } from '@redcache/core';

/** What the engine's debug log said about one key in this process. */
export interface KeyLog {
  waits: Record<string, number>;
  lastWake: string | null;
}

/**
 * A redcache `Logger` that tallies the 'redcache: wait ended' debug event per key (with why: invalidation,
 * flush, poll, timeout or aborted). Warnings and errors go to the console.
 */
export class WaitLog implements Logger {
  readonly #keys = new Map<string, KeyLog>();

  of(key: string): KeyLog {
    let log = this.#keys.get(key);
    if (log === undefined) {
      log = { waits: {}, lastWake: null };
      this.#keys.set(key, log);
    }
    return log;
  }

  debug(message: string, attributes?: LogAttributes): void {
    if (message !== 'redcache: wait ended') return;
    const reason = String(attributes?.reason);
    const keys = Array.isArray(attributes?.keys) ? (attributes.keys as unknown[]) : [];
    for (const key of keys) {
      const log = this.of(String(key));
      log.waits[reason] = (log.waits[reason] ?? 0) + 1;
      log.lastWake = reason;
    }
  }

  info(): void {}
  warn(message: string, attributes?: LogAttributes): void {
    console.warn(`[pid ${process.pid}] ${message}`, attributes ?? '');
  }
  error(message: string, attributes?: LogAttributes): void {
    console.error(`[pid ${process.pid}] ${message}`, attributes ?? '');
  }
}
