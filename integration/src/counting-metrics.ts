import { NoopMetrics } from '@redcache/core';

interface CountWaiter {
  readonly name: string;
  readonly n: number;
  readonly resolve: () => void;
}

/**
 * Metrics that count every event, by name; keyed events also list their keys. `reached` waits
 * for a count: `lockContended` is counted just before a caller starts waiting on a lock, so
 * `await metrics.reached('lockContended')` is the moment "a caller waits".
 */
export class CountingMetrics extends NoopMetrics {
  readonly counts: Record<string, number> = {};
  readonly keys: Record<string, string[]> = {};
  readonly #waiters = new Set<CountWaiter>();

  #add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
    for (const waiter of this.#waiters) {
      if (waiter.name === name && this.count(name) >= waiter.n) waiter.resolve();
    }
  }

  /** Resolves once the count of `name` is at least `n`; rejects naming it after `timeoutMs`. */
  reached(name: string, n = 1, timeoutMs = 10_000): Promise<void> {
    if (this.count(name) >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: CountWaiter = {
        name,
        n,
        resolve: () => {
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`${name}: ${this.count(name)}, not ${n}, after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
  #key(name: string, key: string): void {
    this.#add(name);
    const keys = this.keys[name] ?? [];
    keys.push(key);
    this.keys[name] = keys;
  }

  count(name: string): number {
    return this.counts[name] ?? 0;
  }

  override cacheHits(n: number): void {
    this.#add('cacheHits', n);
  }
  override cacheMisses(n: number): void {
    this.#add('cacheMisses', n);
  }
  override lockContended(n: number): void {
    this.#add('lockContended', n);
  }
  override loaderErrors(n: number): void {
    this.#add('loaderErrors', n);
  }
  override redisError(op: string): void {
    this.#add(`redisError:${op}`);
  }
  override refreshTriggered(n: number): void {
    this.#add('refreshTriggered', n);
  }
  override refreshSkipped(n: number): void {
    this.#add('refreshSkipped', n);
  }
  override refreshDropped(n: number): void {
    this.#add('refreshDropped', n);
  }
  override lockLost(key: string): void {
    this.#key('lockLost', key);
  }
  override refreshError(key: string): void {
    this.#key('refreshError', key);
  }
  override refreshPanicked(key: string): void {
    this.#key('refreshPanicked', key);
  }
  override invalidationError(): void {
    this.#add('invalidationError');
  }
}
