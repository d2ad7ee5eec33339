import { z } from 'zod';
import { InvalidOptionsError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { noopMetrics } from '../metrics.js';
import type { Options } from '../options.js';
import { ENVELOPE_PREFIX } from '../wire/envelope.js';
import { type AllMetrics, REQUIRED_METRICS, withAllMetrics } from './all-metrics.js';
import { durationMs } from './duration-option.js';
import {
  breakerSchema,
  failSafeSchema,
  falseOrTimerMs,
  loaderTimeoutSchema,
  type ResolvedBreaker,
  type ResolvedFailSafe,
  type ResolvedLoaderTimeout,
  timerMs,
} from './resilience-options.js';

/** Options after validation and defaults: what the engine reads. */
export interface ResolvedOptions {
  readonly lockTTLMs: number;
  readonly lockPrefix: string;
  readonly refreshLockPrefix: string;
  readonly refreshAfterFraction: number;
  readonly refreshBeta: number;
  readonly refreshWorkers: number;
  readonly refreshQueueSize: number;
  readonly refreshTimeoutMs: number | undefined;
  readonly nearCache: { readonly maxEntries: number; readonly maxBytes: number } | false;
  readonly logger: Logger;
  readonly metrics: AllMetrics;
  /** The bound of one Redis round trip (ms), or false for none. */
  readonly commandTimeoutMs: number | false;
  readonly breaker: ResolvedBreaker;
  readonly whenRedisIsDown: 'fail' | 'load';
  /** The Conn's fail-safe, or false when it keeps no fallbacks (calls may still ask for one). */
  readonly failSafe: ResolvedFailSafe | false;
  readonly loaderTimeout: ResolvedLoaderTimeout;
}

const METRIC_METHODS: readonly string[] = REQUIRED_METRICS;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positiveInt = z.number().int('must be an integer').positive('must be greater than 0');
const prefix = z.string().min(1, 'must not be empty');
const hasMethods = (names: readonly string[]) => (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  names.every((n) => typeof (value as Record<string, unknown>)[n] === 'function');

const schema = z
  .object({
    lockTTLMs: durationMs({
      min: 100,
      inclusive: true,
      rule: 'must be at least 100 ms to avoid lock churn',
    }).default(10_000),
    lockPrefix: prefix.default('__redcache:lock:'),
    refreshLockPrefix: prefix.default('__redcache:refresh:'),
    refreshAfterFraction: finite.min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0),
    refreshBeta: finite.min(0, 'must not be negative').default(0),
    refreshWorkers: positiveInt.default(4),
    refreshQueueSize: positiveInt.default(64),
    refreshTimeoutMs: timerMs.optional(),
    nearCache: z
      .union([
        z.literal(false),
        z
          .object({
            maxEntries: positiveInt.default(10_000),
            maxBytes: positiveInt.default(64 * 1024 * 1024),
          })
          .strict(),
      ])
      .default({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }),
    commandTimeoutMs: falseOrTimerMs.default(1_000),
    breaker: breakerSchema.default({ timeouts: 3, probeIntervalMs: 1_000 }),
    whenRedisIsDown: z.enum(['fail', 'load']).default('fail'),
    failSafe: z.union([z.literal(false), failSafeSchema]).default(false),
    loaderTimeout: loaderTimeoutSchema.default({}),
    logger: z
      .custom<Logger>(
        hasMethods(['debug', 'info', 'warn', 'error']),
        'must have debug, info, warn and error methods',
      )
      .default(silentLogger),
    metrics: z
      .custom<Metrics>(hasMethods(METRIC_METHODS), `must have the methods ${METRIC_METHODS.join(', ')}`)
      .default(noopMetrics),
  })
  .strict()
  .superRefine((o, ctx) => {
    const overlaps = (p: string) => p.startsWith(ENVELOPE_PREFIX) || ENVELOPE_PREFIX.startsWith(p);
    if (overlaps(o.lockPrefix)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lockPrefix'],
        message: `${JSON.stringify(o.lockPrefix)} overlaps the value prefix ${JSON.stringify(ENVELOPE_PREFIX)}: values would read as locks or locks as values`,
      });
    }
    if (
      overlaps(o.refreshLockPrefix) ||
      o.refreshLockPrefix.startsWith(o.lockPrefix) ||
      o.lockPrefix.startsWith(o.refreshLockPrefix)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['refreshLockPrefix'],
        message: `${JSON.stringify(o.refreshLockPrefix)} overlaps the value or lock prefix`,
      });
    }
  });

/**
 * Validates options and fills in defaults; every length of time (a `Duration`) comes out in ms.
 *
 * @param options - the options of `Conn.open` (or of `connect` / `fromClient`), if any.
 * @returns the options the engine reads.
 * @throws InvalidOptionsError naming every wrong option (its path, such as `failSafe.maxStaleMs`, and what it must be).
 */
export function resolveOptions(options: Options | undefined): ResolvedOptions {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new InvalidOptionsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`),
    );
  }
  const o = parsed.data;
  return {
    lockTTLMs: Math.ceil(o.lockTTLMs),
    lockPrefix: o.lockPrefix,
    refreshLockPrefix: o.refreshLockPrefix,
    refreshAfterFraction: o.refreshAfterFraction,
    refreshBeta: o.refreshBeta,
    refreshWorkers: o.refreshWorkers,
    refreshQueueSize: o.refreshQueueSize,
    refreshTimeoutMs: o.refreshTimeoutMs === undefined ? undefined : Math.ceil(o.refreshTimeoutMs),
    nearCache: o.nearCache,
    logger: o.logger,
    metrics: withAllMetrics(o.metrics),
    commandTimeoutMs: o.commandTimeoutMs === false ? false : Math.ceil(o.commandTimeoutMs),
    breaker: o.breaker,
    whenRedisIsDown: o.whenRedisIsDown,
    failSafe: o.failSafe,
    loaderTimeout: o.loaderTimeout,
  };
}
