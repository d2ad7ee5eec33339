import type { Counter, Histogram } from '@opentelemetry/api';
import type { Metrics, MetricsSource } from '@redcache/core';
import { AttributeSets } from './attribute-sets.js';
import { CACHE_NAME_ATTRIBUTE, type CounterSpec, instruments } from './instruments.js';

/** One instrument per event of `instruments`, created from one meter. */
export type Instruments = {
  readonly [Event in keyof typeof instruments]: (typeof instruments)[Event] extends CounterSpec
    ? Counter
    : Histogram;
};

const MS_PER_SECOND = 1_000;

/**
 * Records each event on its instrument: per-call events with `redcache.cache.name` when the
 * view is named, the others with their own attribute if any. The key arguments of lockLost,
 * refreshError and refreshPanicked are dropped on purpose. `observe` adds a source to those
 * the observable gauges read (`sources`, shared with them).
 */
export class OtelMetrics implements Metrics {
  readonly #instruments: Instruments;
  readonly #sources: MetricsSource[];
  readonly #byView = new AttributeSets(CACHE_NAME_ATTRIBUTE);
  readonly #calls = new AttributeSets(...instruments.callDuration.attributes, CACHE_NAME_ATTRIBUTE);
  readonly #failSafe = new AttributeSets(instruments.failSafeServed.attribute, CACHE_NAME_ATTRIBUTE);
  readonly #loaderTimeouts = new AttributeSets(instruments.loaderTimedOut.attribute, CACHE_NAME_ATTRIBUTE);
  readonly #redisErrors = new AttributeSets(instruments.redisError.attribute);
  readonly #redisDown = new AttributeSets(instruments.redisDown.attribute);
  readonly #timeouts = new AttributeSets(instruments.commandTimeout.attribute);

  constructor(created: Instruments, sources: MetricsSource[]) {
    this.#instruments = created;
    this.#sources = sources;
  }

  cacheHits(n: number, view?: string): void {
    this.#instruments.cacheHits.add(n, this.#byView.of(view));
  }
  cacheMisses(n: number, view?: string): void {
    this.#instruments.cacheMisses.add(n, this.#byView.of(view));
  }
  lockContended(n: number, view?: string): void {
    this.#instruments.lockContended.add(n, this.#byView.of(view));
  }
  lockWaitDuration(ms: number, view?: string): void {
    this.#instruments.lockWaitDuration.record(ms / MS_PER_SECOND, this.#byView.of(view));
  }
  loaderDuration(ms: number, view?: string): void {
    this.#instruments.loaderDuration.record(ms / MS_PER_SECOND, this.#byView.of(view));
  }
  loaderErrors(n: number, view?: string): void {
    this.#instruments.loaderErrors.add(n, this.#byView.of(view));
  }
  redisError(op: string): void {
    this.#instruments.redisError.add(1, this.#redisErrors.of(op));
  }
  refreshTriggered(n: number): void {
    this.#instruments.refreshTriggered.add(n);
  }
  refreshSkipped(n: number): void {
    this.#instruments.refreshSkipped.add(n);
  }
  refreshDropped(n: number): void {
    this.#instruments.refreshDropped.add(n);
  }
  lockLost(_key: string): void {
    this.#instruments.lockLost.add(1);
  }
  refreshError(_key: string): void {
    this.#instruments.refreshError.add(1);
  }
  refreshPanicked(_key: string): void {
    this.#instruments.refreshPanicked.add(1);
  }
  invalidationError(): void {
    this.#instruments.invalidationError.add(1);
  }
  redisDown(reason: string): void {
    this.#instruments.redisDown.add(1, this.#redisDown.of(reason));
  }
  redisUp(downMs: number): void {
    this.#instruments.redisUp.record(downMs / MS_PER_SECOND);
  }
  commandTimeout(op: string): void {
    this.#instruments.commandTimeout.add(1, this.#timeouts.of(op));
  }
  failSafeServed(n: number, cause: string, view?: string): void {
    this.#instruments.failSafeServed.add(n, this.#failSafe.of(cause, view));
  }
  degradedLoads(n: number, view?: string): void {
    this.#instruments.degradedLoads.add(n, this.#byView.of(view));
  }
  loaderTimedOut(kind: 'soft' | 'hard', view?: string): void {
    this.#instruments.loaderTimedOut.add(1, this.#loaderTimeouts.of(kind, view));
  }
  callDuration(op: string, outcome: string, ms: number, view?: string): void {
    this.#instruments.callDuration.record(ms / MS_PER_SECOND, this.#calls.of(op, outcome, view));
  }
  nearEvictions(n: number): void {
    this.#instruments.nearEvictions.add(n);
  }
  nearExpirations(n: number): void {
    this.#instruments.nearExpirations.add(n);
  }
  observe(source: MetricsSource): () => void {
    this.#sources.push(source);
    return () => {
      const at = this.#sources.indexOf(source);
      if (at >= 0) this.#sources.splice(at, 1);
    };
  }
}
