import { z } from 'zod';
import { MAX_TIMER_MS } from './max-timer.js';

/** What is wrong with `value` as a timer's length in ms, or undefined when nothing is. */
function timerIssue(value: unknown): string | undefined {
  if (typeof value !== 'number') return 'must be a number of ms';
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (value <= 0) return 'must be greater than 0';
  if (value > MAX_TIMER_MS) return `must be at most ${MAX_TIMER_MS} ms (the longest timer Node.js supports)`;
  return undefined;
}

/** A timer's length in ms: finite, > 0, at most the longest timer Node.js supports. */
export const timerMs = z.custom<number>().superRefine((value, ctx) => {
  const message = timerIssue(value);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
});

/** `false` (none), or a timer's length in ms. */
export const falseOrTimerMs = z.custom<number | false>().superRefine((value, ctx) => {
  if (value === false) return;
  const message = typeof value === 'number' ? timerIssue(value) : 'must be false or a number of ms';
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
});

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
