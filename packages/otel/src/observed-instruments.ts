/**
 * The observable gauges @redcache/otel creates, read from every `MetricsSource` its
 * `observe` event was given (one per connection) each time the SDK collects. The values of
 * several connections add up.
 */

/** An observable gauge, read when the SDK collects. */
export interface GaugeSpec {
  /** `'gauge'`: tells the specs apart. */
  readonly kind: 'gauge';
  /** The instrument's OpenTelemetry name (`redcache.…`). */
  readonly name: string;
  /** The UCUM unit: `By` for bytes, a curly-brace annotation for what it counts (`{entry}`). */
  readonly unit: string;
  /** The instrument's description, as exporters show it. */
  readonly description: string;
  /** The attribute that tells its data points apart, if any. */
  readonly attribute?: string;
}

/** The attribute of `redcache.breaker.state`: `closed` or `open`. */
export const BREAKER_STATE_ATTRIBUTE = 'state';

/**
 * Every observable gauge `createOtelMetrics` creates, by what it reads: the source of their
 * names, units and descriptions, as `instruments` is for the events'. Each entry is a `GaugeSpec`.
 */
export const observedInstruments = {
  /** Every connection's `MetricsSource.nearCache` `entries`, summed. */
  nearCacheEntries: {
    kind: 'gauge',
    name: 'redcache.near_cache.entries',
    unit: '{entry}',
    description: 'Entries in the near cache now, fresh and fail-safe fallbacks.',
  },
  /** Every connection's `MetricsSource.nearCache` `bytes`, summed. */
  nearCacheSize: {
    kind: 'gauge',
    name: 'redcache.near_cache.size',
    unit: 'By',
    description: 'Bytes in the near cache now, as maxBytes counts them (stored bytes plus keys).',
  },
  /** Every connection's `MetricsSource.breakerState`: per state, the connections in it. */
  breakerState: {
    kind: 'gauge',
    name: 'redcache.breaker.state',
    unit: '{connection}',
    description: 'Connections whose breaker is closed (Redis answers) or open (attribute state).',
    attribute: BREAKER_STATE_ATTRIBUTE,
  },
} as const satisfies Record<string, GaugeSpec>;
