import { type Counter, type Histogram, type MeterProvider, metrics, ValueType } from '@opentelemetry/api';
import type { Metrics } from '@redcache/core';
import { type CounterSpec, type HistogramSpec, instruments } from './instruments.js';
import { VERSION } from './version.js';

export interface OtelMetricsOptions {
  /** Where the instruments come from. Default: the global one, `metrics.getMeterProvider()`. */
  meterProvider?: MeterProvider;
  /** The meter's instrumentation-scope name. Default: `@redcache/otel` (its version is this package's). */
  meterName?: string;
}

export const DEFAULT_METER_NAME = '@redcache/otel';

const MS_PER_SECOND = 1_000;

/**
 * A `Metrics` that records every redcache event on OpenTelemetry instruments: counters for
 * counts, histograms in seconds for durations; `redcache.redis.errors` and
 * `redcache.redis.timeouts` by `op`, `redcache.redis.down` by `reason`,
 * `redcache.failsafe.served` by `cause`, `redcache.loader.timeouts` by `kind`. Keys are never
 * attributes, so cardinality stays bounded. Pass it as the `metrics` option of `Conn.open` or
 * `connect`. The instruments are created once, here, from the provider of that moment: with
 * the global provider, register the SDK first (the OTel API has no proxy for meters, so
 * instruments taken from the no-op provider stay no-ops).
 */
export function createOtelMetrics(options: OtelMetricsOptions = {}): Metrics {
  const provider = options.meterProvider ?? metrics.getMeterProvider();
  const meter = provider.getMeter(options.meterName ?? DEFAULT_METER_NAME, VERSION);
  const counter = (spec: CounterSpec): Counter =>
    meter.createCounter(spec.name, {
      unit: spec.unit,
      description: spec.description,
      valueType: ValueType.INT,
    });
  const histogram = (spec: HistogramSpec): Histogram =>
    meter.createHistogram(spec.name, {
      unit: spec.unit,
      description: spec.description,
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...spec.buckets] },
    });
  return new OtelMetrics({
    cacheHits: counter(instruments.cacheHits),
    cacheMisses: counter(instruments.cacheMisses),
    lockContended: counter(instruments.lockContended),
    lockWaitDuration: histogram(instruments.lockWaitDuration),
    loaderDuration: histogram(instruments.loaderDuration),
    loaderErrors: counter(instruments.loaderErrors),
    redisError: counter(instruments.redisError),
    refreshTriggered: counter(instruments.refreshTriggered),
    refreshSkipped: counter(instruments.refreshSkipped),
    refreshDropped: counter(instruments.refreshDropped),
    lockLost: counter(instruments.lockLost),
    refreshError: counter(instruments.refreshError),
    refreshPanicked: counter(instruments.refreshPanicked),
    invalidationError: counter(instruments.invalidationError),
    redisDown: counter(instruments.redisDown),
    redisUp: histogram(instruments.redisUp),
    commandTimeout: counter(instruments.commandTimeout),
    failSafeServed: counter(instruments.failSafeServed),
    degradedLoads: counter(instruments.degradedLoads),
    loaderTimedOut: counter(instruments.loaderTimedOut),
  });
}

type Instruments = {
  readonly [Event in keyof typeof instruments]: (typeof instruments)[Event] extends CounterSpec
    ? Counter
    : Histogram;
};

/** One instrument per event; the key arguments of lockLost, refreshError and refreshPanicked are dropped on purpose. */
class OtelMetrics implements Metrics {
  readonly #instruments: Instruments;

  constructor(created: Instruments) {
    this.#instruments = created;
  }

  cacheHits(n: number): void {
    this.#instruments.cacheHits.add(n);
  }
  cacheMisses(n: number): void {
    this.#instruments.cacheMisses.add(n);
  }
  lockContended(n: number): void {
    this.#instruments.lockContended.add(n);
  }
  lockWaitDuration(ms: number): void {
    this.#instruments.lockWaitDuration.record(ms / MS_PER_SECOND);
  }
  loaderDuration(ms: number): void {
    this.#instruments.loaderDuration.record(ms / MS_PER_SECOND);
  }
  loaderErrors(n: number): void {
    this.#instruments.loaderErrors.add(n);
  }
  redisError(op: string): void {
    this.#instruments.redisError.add(1, { [instruments.redisError.attribute]: op });
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
    this.#instruments.redisDown.add(1, { [instruments.redisDown.attribute]: reason });
  }
  redisUp(downMs: number): void {
    this.#instruments.redisUp.record(downMs / MS_PER_SECOND);
  }
  commandTimeout(op: string): void {
    this.#instruments.commandTimeout.add(1, { [instruments.commandTimeout.attribute]: op });
  }
  failSafeServed(n: number, cause: string): void {
    this.#instruments.failSafeServed.add(n, { [instruments.failSafeServed.attribute]: cause });
  }
  degradedLoads(n: number): void {
    this.#instruments.degradedLoads.add(n);
  }
  loaderTimedOut(kind: 'soft' | 'hard'): void {
    this.#instruments.loaderTimedOut.add(1, { [instruments.loaderTimedOut.attribute]: kind });
  }
}
