import { z } from 'zod';
import type { CallOptions } from '../cache.js';
import {
  failSafeSchema,
  loaderTimeoutSchema,
  type ResolvedFailSafe,
  type ResolvedLoaderTimeout,
} from '../config/resilience-options.js';
import type { ResolvedOptions } from '../config/resolve-options.js';
import { describeKey, InvalidOptionsError } from '../errors/errors.js';

/** A read's fail-safe and loader timeouts: the call's own, else the Conn's. */
export interface CallResilience {
  readonly failSafe: ResolvedFailSafe | false;
  readonly loaderTimeout: ResolvedLoaderTimeout;
  /** How long what the read stores is kept as a fallback: the longer of the Conn's and the call's. */
  readonly staleMs: number;
}

const callFailSafe = z.union([z.literal(false), failSafeSchema]);
const byOptions = new WeakMap<ResolvedOptions, CallResilience>();

const maxStaleOf = (failSafe: ResolvedFailSafe | false) => (failSafe === false ? 0 : failSafe.maxStaleMs);

/** Whether a call carries fail-safe or loader-timeout options of its own (to check, hit or miss). */
export function hasOwnResilience(opts: CallOptions | undefined): boolean {
  return opts !== undefined && (opts.failSafe !== undefined || opts.loaderTimeout !== undefined);
}

/**
 * The fail-safe and loader timeouts of one `get`/`getMulti`: per-call values (validated here,
 * with errors naming the option, the operation and the key) replace the Conn's. A call with
 * neither costs one map lookup.
 */
export function callResilience(
  options: ResolvedOptions,
  opts: CallOptions | undefined,
  op: string,
  key: unknown,
): CallResilience {
  let conn = byOptions.get(options);
  if (conn === undefined) {
    conn = {
      failSafe: options.failSafe,
      loaderTimeout: options.loaderTimeout,
      staleMs: maxStaleOf(options.failSafe),
    };
    byOptions.set(options, conn);
  }
  if (opts?.failSafe === undefined && opts?.loaderTimeout === undefined) return conn;
  const issues: string[] = [];
  const failSafe = parse(callFailSafe, opts.failSafe, conn.failSafe, 'failSafe', issues);
  const loaderTimeout = parse(
    loaderTimeoutSchema,
    opts.loaderTimeout,
    conn.loaderTimeout,
    'loaderTimeout',
    issues,
  );
  if (issues.length > 0) {
    throw new InvalidOptionsError(issues.map((issue) => `${op} key ${describeKey(key)}: ${issue}`));
  }
  return { failSafe, loaderTimeout, staleMs: Math.max(conn.staleMs, maxStaleOf(failSafe)) };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, fallback: T, name: string, issues: string[]): T {
  if (value === undefined) return fallback;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    issues.push(`${[name, ...issue.path].join('.')}: ${issue.message}`);
  return fallback;
}
