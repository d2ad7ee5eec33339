import { z } from 'zod';
import { durationMs, falseOrDurationMs } from './duration-option.js';

/** A timer's length: a `Duration` greater than 0, at most the longest timer Node.js supports; gives ms. */
export const timerMs = durationMs();

/** `false` (none), or a timer's length (see `timerMs`). */
export const falseOrTimerMs = falseOrDurationMs;

export interface ResolvedBreaker {
  readonly timeouts: number;
  readonly probeIntervalMs: number;
}

export const breakerSchema = z
  .object({
    timeouts: z.number().int('must be an integer').positive('must be greater than 0').default(3),
    probeIntervalMs: timerMs.default(1_000),
  })
  .strict();

export interface ResolvedFailSafe {
  readonly maxStaleMs: number;
  readonly throttleMs: number;
}

export const failSafeSchema = z
  .object({
    maxStaleMs: timerMs,
    throttleMs: durationMs({ min: 0, inclusive: true, rule: 'must not be negative' }).default(1_000),
  })
  .strict();

export interface ResolvedLoaderTimeout {
  readonly softMs?: number | undefined;
  readonly hardMs?: number | undefined;
}

export const loaderTimeoutSchema = z
  .object({ softMs: timerMs.optional(), hardMs: timerMs.optional() })
  .strict()
  .refine(
    (o) => typeof o.softMs !== 'number' || typeof o.hardMs !== 'number' || o.softMs < o.hardMs,
    'softMs must be less than hardMs',
  );
