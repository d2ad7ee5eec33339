import type { Metrics } from '../metrics.js';

/** The events every `Metrics` implements; the newer ones are optional. */
export const REQUIRED_METRICS = [
  'cacheHits',
  'cacheMisses',
  'lockContended',
  'lockWaitDuration',
  'loaderDuration',
  'loaderErrors',
  'redisError',
  'refreshTriggered',
  'refreshSkipped',
  'refreshDropped',
  'lockLost',
  'refreshError',
  'refreshPanicked',
  'invalidationError',
] as const;

const OPTIONAL_METRICS = [
  'redisDown',
  'redisUp',
  'commandTimeout',
  'failSafeServed',
  'degradedLoads',
  'loaderTimedOut',
] as const;

/** Every event of `Metrics`, none optional: what the engine calls. */
export type AllMetrics = Required<Metrics>;

const ignore = () => {};

/**
 * `metrics` itself when it implements every event; otherwise an object that forwards each
 * event it implements (bound to it, so private fields work) and ignores the others.
 */
export function withAllMetrics(metrics: Metrics): AllMetrics {
  const record = metrics as unknown as Record<string, unknown>;
  if (OPTIONAL_METRICS.every((name) => typeof record[name] === 'function')) return metrics as AllMetrics;
  const all: Record<string, unknown> = {};
  for (const name of [...REQUIRED_METRICS, ...OPTIONAL_METRICS]) {
    const method = record[name];
    all[name] = typeof method === 'function' ? method.bind(metrics) : ignore;
  }
  return all as unknown as AllMetrics;
}
