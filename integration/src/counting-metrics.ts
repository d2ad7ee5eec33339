import { NoopMetrics } from '@redcache/core';

/** Metrics that count every event, by name; keyed events also list their keys. */
export class CountingMetrics extends NoopMetrics {
  readonly counts: Record<string, number> = {};
  readonly keys: Record<string, string[]> = {};

  #add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
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
