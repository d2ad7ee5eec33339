/**
 * Every OpenTelemetry instrument @redcache/otel creates, with the Metrics event that feeds it.
 * This table (and `observedInstruments`, the gauges `observe` feeds) is the single source of
 * the names, units, attributes and descriptions; the README documents it. Names follow
 * OpenTelemetry's naming rules: lowercase, dot-separated, snake_case within a component
 * (`near_cache`), under a `redcache.` namespace, no unit in the name. Counters use
 * curly-brace annotation units for what they count; durations are histograms in seconds.
 */

import type { Metrics } from '@redcache/core';

/** A monotonic counter fed by a count-valued (or one-per-call) Metrics event. */
export interface CounterSpec {
  /** `'counter'`: tells the specs apart. */
  readonly kind: 'counter';
  /** The instrument's OpenTelemetry name (`redcache.…`). */
  readonly name: string;
  /** The UCUM unit: a curly-brace annotation of what it counts (`{hit}`, `{key}`, …). */
  readonly unit: string;
  /** The instrument's description, as exporters show it. */
  readonly description: string;
  /** The attribute the event's string argument becomes (a small fixed set of values), if any. */
  readonly attribute?: string;
  /** True for a per-call event: it carries `redcache.cache.name` when the call's view has a name. */
  readonly perView?: true;
}

/** A histogram of seconds fed by a milliseconds-valued Metrics event. */
export interface HistogramSpec {
  /** `'histogram'`: tells the specs apart. */
  readonly kind: 'histogram';
  /** The instrument's OpenTelemetry name (`redcache.…`). */
  readonly name: string;
  /** Seconds (the event reports milliseconds; they are divided by 1000). */
  readonly unit: 's';
  /** The instrument's description, as exporters show it. */
  readonly description: string;
  /** Bucket boundaries the histogram advises (a View in the SDK can still override them). */
  readonly buckets: readonly number[];
  /** The attributes the event's string arguments become, in their order, if any. */
  readonly attributes?: readonly string[];
  /** True for a per-call event: it carries `redcache.cache.name` when the call's view has a name. */
  readonly perView?: true;
}

/**
 * Bucket boundaries in seconds, from 1 ms to 10 s: the SDK's default boundaries (0 to 10,000)
 * suit milliseconds and would put nearly every wait and load into the first bucket.
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * Bucket boundaries in seconds for a whole call, from 10 µs to 10 s: a near-cache hit takes
 * microseconds, a Redis hit a fraction of a millisecond to a few, a load as long as its loader.
 */
export const CALL_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
  0.25, 0.5, 1, 2.5, 5, 10,
];

/** The attribute `redcache.redis.errors` carries: the operation core names, from a small fixed set. */
export const OPERATION_ATTRIBUTE = 'op';

/** The attribute a call's outcome becomes on `redcache.call.duration` (a `CallOutcome`). */
export const OUTCOME_ATTRIBUTE = 'outcome';

/**
 * The attribute every per-call instrument carries when the call's view has a name
 * (`ViewOptions.name`); a view without one records without it.
 */
export const CACHE_NAME_ATTRIBUTE = 'redcache.cache.name';

/**
 * Bucket boundaries in seconds for how long Redis was down, from 100 ms to an hour: an outage
 * ends with a probe, every `breaker.probeIntervalMs` (1 s by default).
 */
export const OUTAGE_BUCKETS_SECONDS: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600,
];

/**
 * Every instrument `createOtelMetrics` creates for a `Metrics` event, by the event's name (the
 * gauges are `observedInstruments`): the source of the names, units, attributes and
 * descriptions, for dashboards and tests. Each entry is a `CounterSpec` or a `HistogramSpec`.
 */
export const instruments = {
  /** Fed by `Metrics.cacheHits`. */
  cacheHits: {
    kind: 'counter',
    name: 'redcache.cache.hits',
    unit: '{hit}',
    description: 'Keys a read found a value for.',
    perView: true,
  },
  /** Fed by `Metrics.cacheMisses`. */
  cacheMisses: {
    kind: 'counter',
    name: 'redcache.cache.misses',
    unit: '{miss}',
    description: 'Keys a read found no value for (absent or locked); a contended call can count several.',
    perView: true,
  },
  /** Fed by `Metrics.lockContended`. */
  lockContended: {
    kind: 'counter',
    name: 'redcache.lock.contended',
    unit: '{key}',
    description: "Keys a caller had to wait for because another caller's lock held them.",
    perView: true,
  },
  /** Fed by `Metrics.lockWaitDuration`. */
  lockWaitDuration: {
    kind: 'histogram',
    name: 'redcache.lock.wait.duration',
    unit: 's',
    description: "Time spent waiting for another caller's lock to resolve.",
    buckets: DURATION_BUCKETS_SECONDS,
    perView: true,
  },
  /** Fed by `Metrics.loaderDuration`. */
  loaderDuration: {
    kind: 'histogram',
    name: 'redcache.loader.duration',
    unit: 's',
    description: 'Wall time of each foreground loader call, successful or not.',
    buckets: DURATION_BUCKETS_SECONDS,
    perView: true,
  },
  /** Fed by `Metrics.loaderErrors`. */
  loaderErrors: {
    kind: 'counter',
    name: 'redcache.loader.errors',
    unit: '{key}',
    description: 'Keys whose foreground loader call failed.',
    perView: true,
  },
  /** Fed by `Metrics.redisError`. */
  redisError: {
    kind: 'counter',
    name: 'redcache.redis.errors',
    unit: '{error}',
    description: 'Redis commands that failed, by operation (attribute op).',
    attribute: OPERATION_ATTRIBUTE,
  },
  /** Fed by `Metrics.refreshTriggered`. */
  refreshTriggered: {
    kind: 'counter',
    name: 'redcache.refresh.triggered',
    unit: '{key}',
    description: 'Keys queued for a refresh-ahead.',
  },
  /** Fed by `Metrics.refreshSkipped`. */
  refreshSkipped: {
    kind: 'counter',
    name: 'redcache.refresh.skipped',
    unit: '{key}',
    description: 'Keys not refreshed because a refresh of them was already under way here or elsewhere.',
  },
  /** Fed by `Metrics.refreshDropped`. */
  refreshDropped: {
    kind: 'counter',
    name: 'redcache.refresh.dropped',
    unit: '{key}',
    description: 'Keys not refreshed because the refresh queue was full or the connection was closing.',
  },
  /** Fed by `Metrics.lockLost`. */
  lockLost: {
    kind: 'counter',
    name: 'redcache.lock.lost',
    unit: '{lock}',
    description: 'Locks found gone (expired or taken over) when writing the value they guarded.',
  },
  /** Fed by `Metrics.refreshError`. */
  refreshError: {
    kind: 'counter',
    name: 'redcache.refresh.errors',
    unit: '{error}',
    description: 'Keys whose refresh-ahead failed (lock, loader or write-back error).',
  },
  /** Fed by `Metrics.refreshPanicked`. */
  refreshPanicked: {
    kind: 'counter',
    name: 'redcache.refresh.panicked',
    unit: '{key}',
    description: 'Keys whose refresh loader threw synchronously instead of returning a promise.',
  },
  /** Fed by `Metrics.invalidationError`. */
  invalidationError: {
    kind: 'counter',
    name: 'redcache.invalidation.errors',
    unit: '{error}',
    description: 'Invalidation messages that could not be read as a key.',
  },
  /** Fed by `Metrics.redisDown`. */
  redisDown: {
    kind: 'counter',
    name: 'redcache.redis.down',
    unit: '{outage}',
    description: 'Times the breaker opened because Redis was found down, by reason (attribute reason).',
    attribute: 'reason',
  },
  /** Fed by `Metrics.redisUp`. */
  redisUp: {
    kind: 'histogram',
    name: 'redcache.redis.outage.duration',
    unit: 's',
    description: 'How long Redis was down, recorded when a probe is answered and the breaker closes.',
    buckets: OUTAGE_BUCKETS_SECONDS,
  },
  /** Fed by `Metrics.commandTimeout`. */
  commandTimeout: {
    kind: 'counter',
    name: 'redcache.redis.timeouts',
    unit: '{timeout}',
    description: 'Redis round trips that got no reply within commandTimeoutMs, by operation (attribute op).',
    attribute: OPERATION_ATTRIBUTE,
  },
  /** Fed by `Metrics.failSafeServed`. */
  failSafeServed: {
    kind: 'counter',
    name: 'redcache.failsafe.served',
    unit: '{key}',
    description: 'Fail-safe fallbacks served instead of an error, by cause (attribute cause).',
    attribute: 'cause',
    perView: true,
  },
  /** Fed by `Metrics.degradedLoads`. */
  degradedLoads: {
    kind: 'counter',
    name: 'redcache.degraded.loads',
    unit: '{key}',
    description: 'Keys loaded in process, without Redis, because it was down.',
    perView: true,
  },
  /** Fed by `Metrics.loaderTimedOut`. */
  loaderTimedOut: {
    kind: 'counter',
    name: 'redcache.loader.timeouts',
    unit: '{timeout}',
    description: 'Loader calls that passed their soft or hard timeout (attribute kind).',
    attribute: 'kind',
    perView: true,
  },
  /** Fed by `Metrics.callDuration`. */
  callDuration: {
    kind: 'histogram',
    name: 'redcache.call.duration',
    unit: 's',
    description: 'Wall time of each cache call, by operation and outcome (attributes op, outcome).',
    buckets: CALL_DURATION_BUCKETS_SECONDS,
    attributes: [OPERATION_ATTRIBUTE, OUTCOME_ATTRIBUTE],
    perView: true,
  },
  /** Fed by `Metrics.nearEvictions`. */
  nearEvictions: {
    kind: 'counter',
    name: 'redcache.near_cache.evictions',
    unit: '{entry}',
    description: 'Entries the near cache evicted to stay within maxEntries or maxBytes.',
  },
  /** Fed by `Metrics.nearExpirations`. */
  nearExpirations: {
    kind: 'counter',
    name: 'redcache.near_cache.expirations',
    unit: '{entry}',
    description: 'Entries the near cache dropped because their ttl (and fail-safe window) ran out.',
  },
} as const satisfies {
  readonly [Event in Exclude<keyof Metrics, 'observe'>]-?: CounterSpec | HistogramSpec;
};

/** Any entry of `instruments`: a counter's or a histogram's spec, with its literal values. */
export type InstrumentSpec = (typeof instruments)[keyof typeof instruments];
