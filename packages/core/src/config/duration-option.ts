import { z } from 'zod';
import { DURATION_GRAMMAR, parseDuration, suggestDuration } from '../input/parse-duration.js';
import { MAX_TIMER_MS } from './max-timer.js';

/** The least a duration option may be, and what its issue says when it is less. */
export interface DurationFloor {
  /** The least value, in ms. */
  readonly min: number;
  /** Whether `min` itself is allowed. */
  readonly inclusive: boolean;
  /** The issue when the value is below the floor: `must be greater than 0`, … */
  readonly rule: string;
}

/** A timer's floor: greater than 0. */
export const ABOVE_ZERO: DurationFloor = { min: 0, inclusive: false, rule: 'must be greater than 0' };

/**
 * A duration option's length in ms, or the issue with it: a `Duration` (a number of ms, or a
 * string such as `'90s'`), finite, above `floor`, at most the longest timer Node.js supports.
 *
 * @param value - the option as given.
 * @param floor - the least it may be.
 * @param kind - what it must be, for the issue when it is of the wrong type.
 * @returns the ms (unrounded), or a string naming what is wrong.
 */
export function durationIssueOrMs(
  value: unknown,
  floor: DurationFloor,
  kind = `must be ${DURATION_GRAMMAR}`,
): number | string {
  let ms: unknown = value;
  if (typeof value === 'string') {
    ms = parseDuration(value);
    if (ms === undefined) {
      const suggestion = suggestDuration(value);
      const hint = suggestion === undefined ? '' : `; write ${JSON.stringify(suggestion)}`;
      return `${kind}, got ${JSON.stringify(value)}${hint}`;
    }
  }
  if (typeof ms !== 'number') return `${kind}, got ${ms === null ? 'null' : typeof ms}`;
  if (!Number.isFinite(ms)) return 'must be a finite number';
  if (ms < floor.min || (ms === floor.min && !floor.inclusive)) return floor.rule;
  if (ms > MAX_TIMER_MS) return `must be at most ${MAX_TIMER_MS} ms (the longest timer Node.js supports)`;
  return ms;
}

/**
 * A zod schema for a duration option: takes a `Duration`, gives its ms (unrounded), with the
 * issue of `durationIssueOrMs` (the option's name is the issue's path).
 *
 * @param floor - the least the option may be (default: greater than 0).
 * @returns the schema.
 */
export function durationMs(floor: DurationFloor = ABOVE_ZERO) {
  return z.custom<unknown>().transform((value, ctx): number => {
    const result = durationIssueOrMs(value, floor);
    if (typeof result === 'number') return result;
    // Not aborting: inside a union (`false` or an object of durations) zod then reports
    // this issue, with the option's path, instead of a bare "Invalid input".
    ctx.addIssue({ code: 'custom', message: result, continue: true });
    return z.NEVER;
  });
}

/** `false` (none), or a duration option greater than 0, in ms. */
export const falseOrDurationMs = z.custom<unknown>().transform((value, ctx): number | false => {
  if (value === false) return false;
  const result = durationIssueOrMs(value, ABOVE_ZERO, `must be false or ${DURATION_GRAMMAR}`);
  if (typeof result === 'number') return result;
  ctx.addIssue({ code: 'custom', message: result, continue: true });
  return z.NEVER;
});
