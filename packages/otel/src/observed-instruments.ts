/**
 * The observable gauges @redcache/otel creates, read from every `MetricsSource` its
 * `observe` event was given (one per connection) each time the SDK collects. The values of
 * several connections add up.
 */

/** An observable gauge, read when the SDK collects. */
export interface GaugeSpec {
  readonly kind: 'gauge';
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** The attribute that tells its data points apart, if any. */
  readonly attribute?: string;
}

/** The attribute of `redcache.breaker.state`: `closed` or `open`. */
export const BREAKER_STATE_ATTRIBUTE = 'state';

export const observedInstruments = {
  nearCacheEntries: {
    kind: 'gauge',
    name: 'redcache.near_cache.entries',
    unit: '{entry}',
    description: 'Entries in the near cache now, fresh and fail-safe fallbacks.',
  },
  nearCacheSize: {
    kind: 'gauge',
    name: 'redcache.near_cache.size',
    unit: 'By',
    description: 'Bytes in the near cache now, as maxBytes counts them (stored bytes plus keys).',
  },
  breakerState: {
    kind: 'gauge',
    name: 'redcache.breaker.state',
    unit: '{connection}',
    description: 'Connections whose breaker is closed (Redis answers) or open (attribute state).',
    attribute: BREAKER_STATE_ATTRIBUTE,
  },
} as const satisfies Record<string, GaugeSpec>;
