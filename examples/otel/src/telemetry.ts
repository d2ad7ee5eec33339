import {
  AggregationTemporality,
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/**
 * An OpenTelemetry `MeterProvider` whose reader exports to the console. In a service the
 * exporter would be OTLP (or Prometheus) and the reader would export every minute; the example
 * flushes it once, at the end, instead.
 *
 * Delta temporality: each export carries only what was recorded since the previous one, so the
 * last export `shutdown()` makes finds nothing new and prints nothing a second time.
 */
export function consoleMeterProvider(): MeterProvider {
  const exporter = new ConsoleMetricExporter({ temporalitySelector: () => AggregationTemporality.DELTA });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  return new MeterProvider({ readers: [reader] });
}
