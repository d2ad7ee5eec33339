import { type Meter, ValueType } from '@opentelemetry/api';
import type { MetricsSource } from '@redcache/core';
import { type GaugeSpec, observedInstruments } from './observed-instruments.js';

/**
 * Creates the observable gauges of `observedInstruments` on `meter`, each reading every
 * source in `sources` (one per connection that opened with this Metrics) when the SDK
 * collects, and adding them up. With no source yet they report nothing.
 *
 * @param meter - where the gauges are created.
 * @param sources - the sources, filled later by `Metrics.observe`.
 */
export function observeSources(meter: Meter, sources: readonly MetricsSource[]): void {
  const gauge = (spec: GaugeSpec) =>
    meter.createObservableGauge(spec.name, {
      unit: spec.unit,
      description: spec.description,
      valueType: ValueType.INT,
    });
  const { nearCacheEntries, nearCacheSize, breakerState } = observedInstruments;
  gauge(nearCacheEntries).addCallback((result) => {
    if (sources.length > 0) result.observe(sum(sources, (source) => source.nearCache().entries));
  });
  gauge(nearCacheSize).addCallback((result) => {
    if (sources.length > 0) result.observe(sum(sources, (source) => source.nearCache().bytes));
  });
  const closed = { [breakerState.attribute]: 'closed' };
  const open = { [breakerState.attribute]: 'open' };
  gauge(breakerState).addCallback((result) => {
    if (sources.length === 0) return;
    const opened = sum(sources, (source) => (source.breakerState() === 'open' ? 1 : 0));
    result.observe(sources.length - opened, closed);
    result.observe(opened, open);
  });
}

function sum(sources: readonly MetricsSource[], value: (source: MetricsSource) => number): number {
  let total = 0;
  for (const source of sources) total += value(source);
  return total;
}
