/** A unit of a human-readable {@link Duration}. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * A length of time: a number of milliseconds, or a number and a unit (`'250ms'`, `'90s'`, `'5m'`,
 * `'1h'`, `'7d'`). Accepted wherever a ttl or a timeout is.
 */
export type Duration = number | `${number}${DurationUnit}`;
