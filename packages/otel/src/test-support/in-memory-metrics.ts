import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';

/** A provider whose every reading lands in an in-memory exporter, read back on demand. */
export function inMemoryProvider() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval is long enough never to fire: `collect()` exports by forceFlush.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<ScopeMetrics[]> => {
    exporter.reset();
    await reader.forceFlush();
    return exporter.getMetrics().flatMap((resource) => resource.scopeMetrics);
  };
  return { provider, collect };
}

/** The metrics collected, by instrument name. */
export function byName(scopes: ScopeMetrics[]): Map<string, MetricData> {
  const found = new Map<string, MetricData>();
  for (const scope of scopes) for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
  return found;
}

/** A counter's or gauge's values by attribute set (its JSON), e.g. `{ '{"state":"open"}': 1 }`. */
export function valuesOf(metric: MetricData | undefined): Record<string, number> {
  if (metric === undefined || metric.dataPointType === DataPointType.HISTOGRAM) return {};
  if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return {};
  return Object.fromEntries(
    metric.dataPoints.map((point) => [JSON.stringify(point.attributes), point.value]),
  );
}

/** A histogram's count by attribute set (its JSON). */
export function countsOf(metric: MetricData | undefined): Record<string, number> {
  if (metric?.dataPointType !== DataPointType.HISTOGRAM) return {};
  return Object.fromEntries(
    (metric as HistogramMetricData).dataPoints.map((point) => [
      JSON.stringify(point.attributes),
      point.value.count,
    ]),
  );
}
