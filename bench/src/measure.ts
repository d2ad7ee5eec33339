/** An operation to time: one awaited call. */
export type Operation = () => Promise<unknown>;

export interface MeasureOptions {
  /** Length of one timed round (ms). */
  readonly roundMs: number;
  /** Untimed run before the rounds (ms), so the JIT has settled. */
  readonly warmupMs: number;
  /** Calls between two clock reads: large for cheap calls, 1 for slow ones. */
  readonly batch: number;
}

/**
 * Calls `operation` in a tight sequential `await` loop for `durationMs` and returns the
 * calls per second. The clock is read once per `batch` calls, so its cost stays out of the
 * figure for cheap operations.
 */
export async function opsPerSecond(operation: Operation, durationMs: number, batch: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) await operation();
    calls += batch;
    now = performance.now();
  }
  return (calls * 1000) / (now - started);
}

/** A warm-up run, then nothing: results are thrown away. */
export async function warmUp(operation: Operation, options: MeasureOptions): Promise<void> {
  await opsPerSecond(operation, options.warmupMs, options.batch);
}
