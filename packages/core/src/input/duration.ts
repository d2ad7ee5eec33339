/** A unit of a human-readable {@link Duration}. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * A length of time: a number of milliseconds, or a number and a unit (`'250ms'`, `'90s'`, `'5m'`,
 * `'1h'`, `'7d'`). Accepted wherever a ttl or a timeout is.
 *
 * A number is always milliseconds: `60` is 60 ms, not a minute. A string is a decimal number
 * (digits, an optional fraction: `'1.5s'`, `'0.25h'`) and a unit, with no sign, exponent or
 * space; the type admits more (`'1e3s'`, `'-1s'`), which is refused when the call runs. A
 * fraction of a millisecond rounds up where whole milliseconds are needed (a ttl).
 */
export type Duration = number | `${number}${DurationUnit}`;
