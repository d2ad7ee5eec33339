import { intOptions } from '@redcache/fleet';

export interface DemoOptions {
  /** Worker processes, each with its own Conn. */
  readonly processes: number;
  /** Cold keys stampeded at once. */
  readonly keys: number;
  /** Concurrent callers per process per key. */
  readonly callers: number;
  /** How long the loader takes. */
  readonly loaderMs: number;
}

const USAGE = 'usage: pnpm demo [--processes N] [--keys N] [--callers N] [--loader-ms N]';

/**
 * Parses `--processes N --keys N --callers N --loader-ms N` (defaults 4, 3, 50, 300). A bare
 * `--` (which `pnpm demo -- --keys 5` passes on) is skipped. Bad options print usage and exit 2.
 */
export function demoOptions(argv: readonly string[]): DemoOptions {
  const values = intOptions(argv, USAGE, {
    processes: { default: 4, max: 32 },
    keys: { default: 3, max: 100 },
    callers: { default: 50, max: 10_000 },
    'loader-ms': { default: 300, max: 5_000 },
  });
  return { ...values, loaderMs: values['loader-ms'] };
}
