/** A key prefix unique to this run, so a shared Redis is never disturbed (and never flushed). */
export function runPrefix(): string {
  return `redcache-bench:${process.pid}:${Date.now().toString(36)}:`;
}

/** The value every primed key holds. */
export const PRIMED_VALUE = 'a-primed-value-of-some-forty-bytes-long.';

/** TTL of primed keys: far longer than the run, so no hit turns into a miss halfway. */
export const PRIMED_TTL_MS = 10 * 60_000;
