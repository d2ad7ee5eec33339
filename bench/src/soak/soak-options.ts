import { intOptions } from '@redcache/fleet';

export interface SoakOptions {
  /** Run on a real Redis (REDIS_URL, else a throwaway redis-server) instead of the memory driver. */
  readonly redis: boolean;
  /** Distinct-key `get` misses, each with a loader. The acceptance count is 1,000,000. */
  readonly misses: number;
  /** `set`s after the misses. The acceptance count is 300,000. */
  readonly sets: number;
  /** The call whose heap is the baseline (100,000); the verdict compares the last call's heap with it. */
  readonly baselineAt: number;
}

const USAGE =
  'usage: pnpm soak [--redis] [--misses N] [--sets N]   (defaults: memory driver, 1000000 misses, 300000 sets)';

/** The calls between two heap samples, and the baseline call. */
export const SAMPLE_EVERY = 100_000;

/**
 * `--redis`, `--misses N` (at least 200,000, so that there is a stretch after the baseline
 * at call 100,000), `--sets N`. A bare `--` is skipped; bad options exit 2.
 */
export function soakOptions(argv: readonly string[]): SoakOptions {
  const values = intOptions(
    argv.filter((arg) => arg !== '--redis'),
    USAGE,
    {
      misses: { default: 1_000_000, min: 2 * SAMPLE_EVERY },
      sets: { default: 300_000, min: 0 },
    },
  );
  return { redis: argv.includes('--redis'), ...values, baselineAt: SAMPLE_EVERY };
}
