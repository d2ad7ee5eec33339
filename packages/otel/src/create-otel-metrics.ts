import { type Counter, type Histogram, type MeterProvider, metrics, ValueType } from '@opentelemetry/api';
import type { Metrics, MetricsSource } from '@redcache/core';
import { type CounterSpec, type HistogramSpec, instruments } from './instruments.js';
import { observeSources } from './observe-sources.js';
import { OtelMetrics } from './otel-metrics.js';
import { VERSION } from './version.js';

/** Options of `createOtelMetrics`. */
export interface OtelMetricsOptions {
  /** Where the instruments come from. Default: the global one, `metrics.getMeterProvider()`. */
  meterProvider?: MeterProvider;
  /** The meter's instrumentation-scope name. Default: `@redcache/otel` (its version is this package's). */
  meterName?: string;
  /**
   * Whether to time every call (`redcache.call.duration`). Default true. Timing costs a near
   * hit two clock reads and a small event (measured: about 3× a hit's cost without it); `false`
   * leaves the returned `Metrics` without `callDuration`, so hits read no clock at all.
   */
  callDuration?: boolean;
}

/** The meter's instrumentation-scope name unless `OtelMetricsOptions.meterName` gives another. */
export const DEFAULT_METER_NAME = '@redcache/otel';

/**
 * A `Metrics` that records every redcache event on OpenTelemetry instruments: counters for
 * counts, histograms in seconds for durations (`redcache.call.duration` by `op` and
 * `outcome`), observable gauges for the near cache's entries and bytes and the breakers'
 * state of the connections opened with it; `redcache.redis.errors` and
 * `redcache.redis.timeouts` by `op`, `redcache.redis.down` by `reason`,
 * `redcache.failsafe.served` by `cause`, `redcache.loader.timeouts` by `kind`. Every per-call
 * instrument carries `redcache.cache.name` when the call's view has a name. Keys are never
 * attributes, so cardinality stays bounded. Pass it as the `metrics` option of `Conn.open` or
 * `connect`. The instruments are created once, here, from the provider of that moment: with
 * the global provider, register the SDK first (the OTel API has no proxy for meters, so
 * instruments taken from the no-op provider stay no-ops).
 *
 * It has `callDuration` (unless `callDuration: false`), so every call is timed (a clock read
 * at its start and its end).
 *
 * @param options - the meter provider and meter name (see `OtelMetricsOptions`).
 * @returns the `Metrics`; share one per process between connections (their values add up).
 * @throws nothing of its own (no option is validated); only what the given `meterProvider`
 *   throws from `getMeter` or while creating instruments (the OTel API's and SDK's do not).
 *
 * @example
 * ```ts
 * import { connect } from '@redcache/node-redis';
 * import { createOtelMetrics } from '@redcache/otel';
 *
 * // After the OTel SDK is started (it registers the global MeterProvider):
 * const metrics = createOtelMetrics();
 * const conn = await connect({ url: 'redis://localhost:6379' }, { metrics });
 * ```
 */
export function createOtelMetrics(options: OtelMetricsOptions = {}): Metrics {
  const provider = options.meterProvider ?? metrics.getMeterProvider();
  const meter = provider.getMeter(options.meterName ?? DEFAULT_METER_NAME, VERSION);
  const counter = (spec: CounterSpec): Counter => {
    const created = meter.createCounter(spec.name, {
      unit: spec.unit,
      description: spec.description,
      valueType: ValueType.INT,
    });
    // A counter with one series is exported from the start, at 0, so that a scrape shows it
    // and a rate() over it has a series before its first event (Prometheus's advice).
    if (spec.attribute === undefined && spec.perView === undefined) created.add(0);
    return created;
  };
  const histogram = (spec: HistogramSpec): Histogram =>
    meter.createHistogram(spec.name, {
      unit: spec.unit,
      description: spec.description,
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...spec.buckets] },
    });
  const sources: MetricsSource[] = [];
  observeSources(meter, sources);
  const recorder: Metrics = new OtelMetrics(
    {
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
      callDuration: histogram(instruments.callDuration),
      nearEvictions: counter(instruments.nearEvictions),
      nearExpirations: counter(instruments.nearExpirations),
    },
    sources,
  );
  // An own undefined hides the method: core then sees no callDuration and times nothing.
  if (options.callDuration === false) Object.defineProperty(recorder, 'callDuration', { value: undefined });
  return recorder;
}
