import type { LogAttributes, Logger } from '@redcache/core';

/** What the engine's debug log said about one key in this process. */
export interface KeyLog {
  lockAttempts: number;
  locksAcquired: number;
  waits: Record<string, number>;
  lastWake: string | null;
}

/**
 * A redcache `Logger` that tallies two debug events per key: 'redcache: lock attempt' (one
 * per `SET NX` sent, with whether it won) and 'redcache: wait ended' (with why: invalidation,
 * flush, poll, timeout or aborted). Warnings and errors go to the console.
 */
export class WaitLog implements Logger {
  readonly #keys = new Map<string, KeyLog>();

  of(key: string): KeyLog {
    let log = this.#keys.get(key);
    if (log === undefined) {
      log = { lockAttempts: 0, locksAcquired: 0, waits: {}, lastWake: null };
      this.#keys.set(key, log);
    }
    return log;
  }

  debug(message: string, attributes?: LogAttributes): void {
    if (message === 'redcache: lock attempt') {
      const log = this.of(String(attributes?.key));
      log.lockAttempts++;
      if (attributes?.acquired === true) log.locksAcquired++;
    } else if (message === 'redcache: wait ended') {
      const reason = String(attributes?.reason);
      const keys = Array.isArray(attributes?.keys) ? (attributes.keys as unknown[]) : [];
      for (const key of keys) {
        const log = this.of(String(key));
        log.waits[reason] = (log.waits[reason] ?? 0) + 1;
        log.lastWake = reason;
      }
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
