import type { Attributes } from '@opentelemetry/api';
import { CACHE_NAME_ATTRIBUTE } from '../instruments.js';

/**
 * The span attributes `createOtelTracing` sets. OpenTelemetry has no semantic conventions for
 * a cache-aside layer, and its database conventions (`db.system.name`, `db.operation.name`)
 * describe one command sent to a database by a client span; a redcache call may send none (a
 * near hit), several, or a loader's queries. So these spans are internal and their attributes
 * live under a `redcache.` namespace; the Redis commands keep their own client spans from the
 * driver's instrumentation (`@opentelemetry/instrumentation-redis`), which carry the `db.*`
 * attributes. Where a convention does fit it is used: `error.type` on a failed span. The view's
 * name is the same attribute as on the metrics, `redcache.cache.name`; the metrics' short `op`
 * and `outcome` are namespaced here, since a span's attributes share one namespace with every
 * other library's.
 */
export const SPAN_ATTRIBUTES = {
  /** The cache operation: `get`, `getMulti`, `peek`, `set`, … (the `op` of the event). */
  operation: 'redcache.operation',
  /** The view's name (`ViewOptions.name`), when it has one: the metrics' `redcache.cache.name`. */
  view: CACHE_NAME_ATTRIBUTE,
  /** How many Redis keys the call, loader run or wait covers. */
  keyCount: 'redcache.key_count',
  /** The Redis keys themselves: only with `keys: true`, since keys may be personal data. */
  keys: 'redcache.keys',
  /** A call's outcome (`nearHit`, `redisHit`, `loaded`, `waited`, …, or `mixed`). */
  outcome: 'redcache.outcome',
  /** A loader run's outcome (`loaded`, `error`, `timeout`, `aborted`). */
  loadOutcome: 'redcache.load.outcome',
  /** How a lock wait ended (`invalidation`, `flush`, `poll`, `timeout`, `aborted`, `error`). */
  lockWaitEnd: 'redcache.lock_wait.end',
  /** A background refresh's outcome (`refreshed`, `skipped`, `error`). */
  refreshOutcome: 'redcache.refresh.outcome',
  /** The error's class, or a `RedcacheError`'s `code` (OTel's `error.type` convention). */
  errorType: 'error.type',
} as const;

/**
 * The prefix of a multi-key call's per-outcome key counts: `redcache.outcome.loaded = 3` says
 * three of its keys were loaded here.
 */
export const OUTCOME_COUNT_PREFIX = 'redcache.outcome.';

/** What every span's event carries: the operation, the view, the keys. */
export interface TracedEvent {
  readonly op: string;
  readonly view?: string;
  readonly keys: readonly string[];
  readonly keyCount: number;
}

/**
 * The attributes known when an event starts.
 *
 * @param event - the channel's event
 * @param withKeys - whether the Redis keys become the `redcache.keys` attribute
 * @returns the operation, view, key count (and keys) as span attributes
 */
export function startAttributes(event: TracedEvent, withKeys: boolean): Attributes {
  const attributes: Attributes = {
    [SPAN_ATTRIBUTES.operation]: event.op,
    [SPAN_ATTRIBUTES.keyCount]: event.keyCount,
  };
  if (event.view !== undefined) attributes[SPAN_ATTRIBUTES.view] = event.view;
  if (withKeys) attributes[SPAN_ATTRIBUTES.keys] = [...event.keys];
  return attributes;
}

/**
 * The `error.type` of a failure: a string `code` (every `RedcacheError` has one), else the
 * error's constructor name, else `_OTHER` (OTel's value when no better one is known).
 *
 * @param error - what the call, loader or wait rejected with
 * @returns a low-cardinality name of the error's kind
 */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = error.constructor?.name;
    if (name !== undefined && name !== '') return name;
  }
  return '_OTHER';
}
