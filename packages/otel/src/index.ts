export type { OtelMetricsOptions } from './create-otel-metrics.js';
export { createOtelMetrics, DEFAULT_METER_NAME } from './create-otel-metrics.js';
export type { CounterSpec, HistogramSpec, InstrumentSpec } from './instruments.js';
export {
  CACHE_NAME_ATTRIBUTE,
  CALL_DURATION_BUCKETS_SECONDS,
  DURATION_BUCKETS_SECONDS,
  instruments,
  OPERATION_ATTRIBUTE,
  OUTAGE_BUCKETS_SECONDS,
  OUTCOME_ATTRIBUTE,
} from './instruments.js';
export type { GaugeSpec } from './observed-instruments.js';
export { BREAKER_STATE_ATTRIBUTE, observedInstruments } from './observed-instruments.js';
export type { OtelTracing, OtelTracingOptions } from './tracing/create-otel-tracing.js';
export { createOtelTracing, DEFAULT_TRACER_NAME } from './tracing/create-otel-tracing.js';
