export type { OtelMetricsOptions } from './create-otel-metrics.js';
export { createOtelMetrics, DEFAULT_METER_NAME } from './create-otel-metrics.js';
export type { CounterSpec, HistogramSpec, InstrumentSpec } from './instruments.js';
export {
  DURATION_BUCKETS_SECONDS,
  instruments,
  OPERATION_ATTRIBUTE,
  OUTAGE_BUCKETS_SECONDS,
} from './instruments.js';
export type { OtelTracing, OtelTracingOptions } from './tracing/create-otel-tracing.js';
export { createOtelTracing, DEFAULT_TRACER_NAME } from './tracing/create-otel-tracing.js';
