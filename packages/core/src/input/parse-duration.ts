import type { DurationUnit } from './duration.js';

/** Milliseconds in one of each unit. */
const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A decimal number (digits, an optional fraction) and a unit: no sign, no exponent, no spaces. */
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** What a duration string reads as, in the grammar's words, for error messages. */
export const DURATION_GRAMMAR =
  "a number of ms, or a number and a unit (ms, s, m, h, d) such as '250ms', '90s', '1.5m', '1h', '7d'";

/** The finest part of a millisecond a duration string is read to (a nanosecond, as Go's). */
const NANOS_PER_MS = 1e6;

/**
 * The length of a duration string in milliseconds, not rounded: `'90s'` is 90 000, `'1.5s'`
 * 1 500, `'0.1ms'` 0.1. Undefined for anything outside the grammar: a sign (`'-1s'`), an
 * exponent, spaces, a word (`'5 minutes'`), no unit (`'100'`), no digits (`'.5s'`), or an
 * empty string. `'0s'` parses (to 0): callers decide whether zero is allowed. The product is
 * taken to a millionth of a millisecond, so that a decimal the float product misses by a hair
 * (`2.007 × 1000` is 2007.0000000000002) is not rounded up to one more millisecond later.
 *
 * @param text - the string to read.
 * @returns the milliseconds, or undefined when `text` is no duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit] * NANOS_PER_MS) / NANOS_PER_MS;
}

const SPELLED: ReadonlyArray<readonly [RegExp, DurationUnit]> = [
  [/^(milliseconds?|msecs?)$/i, 'ms'],
  [/^(seconds?|secs?)$/i, 's'],
  [/^(minutes?|mins?)$/i, 'm'],
  [/^(hours?|hrs?)$/i, 'h'],
  [/^(days?)$/i, 'd'],
];

/**
 * The duration a string close to the grammar probably meant: `'5 minutes'` gives `'5m'`,
 * `'90 s'` gives `'90s'`, `'100'` gives `'100ms'`. Undefined when no such guess fits (`'1M'`
 * is no guess: a month, or a minute?).
 *
 * @param text - a string `parseDuration` refused.
 * @returns the suggested duration string, or undefined.
 */
export function suggestDuration(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (match === null) return undefined;
  const [, amount, word] = match as unknown as [string, string, string];
  if (word === '') return `${amount}ms`;
  const unit = SPELLED.find(([pattern]) => pattern.test(word))?.[1] ?? (word as DurationUnit);
  return unit in UNIT_MS ? `${amount}${unit}` : undefined;
}
