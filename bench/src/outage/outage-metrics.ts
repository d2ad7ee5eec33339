import { NoopMetrics } from '@redcache/core';

/** How long the breaker may take to open after the kill: commandTimeoutMs + liveness, generously. */
const OPEN_WITHIN_MS = 15_000;

/** Counts the resilience events an entry reports, and tells when the breaker opened. */
export class OutageMetrics extends NoopMetrics {
  readonly counts: Record<string, number> = {};
  #opened: (() => void) | undefined;
  readonly #down = new Promise<void>((resolve) => {
    this.#opened = resolve;
  });

  override redisDown(reason: string): void {
    this.#count(`redisDown:${reason}`, 1);
    this.#opened?.();
  }

  override failSafeServed(n: number, cause: string): void {
    this.#count(`failSafeServed:${cause}`, n);
  }

  override degradedLoads(n: number): void {
    this.#count('degradedLoads', n);
  }

  override commandTimeout(op: string): void {
    this.#count(`commandTimeout:${op}`, 1);
  }

  /** Resolves once the breaker opened (the `redisDown` event); rejects after `OPEN_WITHIN_MS`. */
  async breakerOpen(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no redisDown within ${OPEN_WITHIN_MS} ms`)), OPEN_WITHIN_MS);
    });
    try {
      await Promise.race([this.#down, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  #count(name: string, n: number): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
  }
}
