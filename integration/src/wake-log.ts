import type { LogAttributes, Logger } from '@redcache/core';

/** A logger that tallies the engine's debug events: how waits ended, lock attempts. */
export class WakeLog implements Logger {
  readonly wakes: Record<string, number> = {};
  lockAttempts = 0;
  locksAcquired = 0;

  debug(message: string, attributes?: LogAttributes): void {
    if (message === 'redcache: wait ended') {
      const reason = String(attributes?.reason);
      this.wakes[reason] = (this.wakes[reason] ?? 0) + 1;
    } else if (message === 'redcache: lock attempt') {
      this.lockAttempts++;
      if (attributes?.acquired === true) this.locksAcquired++;
    }
  }
  info(): void {}
  warn(): void {}
  error(): void {}
}
