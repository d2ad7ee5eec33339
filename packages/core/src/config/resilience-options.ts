import { z } from 'zod';
import { MAX_TIMER_MS } from './max-timer.js';

/** A timer's length in ms: finite, > 0, at most the longest timer Node.js supports. */
export const timerMs = z
  .number()
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => n > 0, 'must be greater than 0')
  .refine(
    (n) => n <= MAX_TIMER_MS,
    `must be at most ${MAX_TIMER_MS} ms (the longest timer Node.js supports)`,
  );

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
    throttleMs: z
      .number()
      .refine(Number.isFinite, 'must be a finite number')
      .min(0, 'must not be negative')
      .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms`)
      .default(1_000),
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
    (o) => o.softMs === undefined || o.hardMs === undefined || o.softMs < o.hardMs,
    'softMs must be less than hardMs',
  );
