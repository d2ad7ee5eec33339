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

/** The optional events the engine calls always: one the user's `Metrics` lacks is ignored. */
const OPTIONAL_METRICS = [
  'redisDown',
  'redisUp',
  'commandTimeout',
  'failSafeServed',
  'degradedLoads',
  'loaderTimedOut',
  'nearEvictions',
  'nearExpirations',
  'observe',
] as const;

/**
 * Every event of `Metrics`, none optional but `callDuration`: what the engine calls.
 * `callDuration` stays undefined unless the user's `Metrics` defines it, so a call times
 * itself only when someone listens (`metrics.callDuration !== undefined`): without it, the
 * hit path reads no clock.
 */
export type AllMetrics = Required<Omit<Metrics, 'callDuration'>> & Pick<Metrics, 'callDuration'>;

const ignore = () => {};

/**
 * `metrics` itself when it implements every optional event but `callDuration`; otherwise an
 * object that forwards each event it implements (bound to it, so private fields work) and
 * ignores the others, with `callDuration` only if `metrics` has it.
 */
export function withAllMetrics(metrics: Metrics): AllMetrics {
  const record = metrics as unknown as Record<string, unknown>;
  if (OPTIONAL_METRICS.every((name) => typeof record[name] === 'function')) return metrics as AllMetrics;
  const all: Record<string, unknown> = {};
  for (const name of [...REQUIRED_METRICS, ...OPTIONAL_METRICS]) {
    const method = record[name];
    all[name] = typeof method === 'function' ? method.bind(metrics) : ignore;
  }
  if (typeof record.callDuration === 'function') all.callDuration = record.callDuration.bind(metrics);
  return all as unknown as AllMetrics;
}
