import { type LatencySummary, summarizeLatencies } from '../latency-summary.js';

export interface TimedCalls {
  readonly latency: LatencySummary;
  /** Calls that took `targetMs` or longer. */
  readonly slow: number;
  /** The loop's own time, all calls. */
  readonly totalMs: number;
  /** What the calls ended with (`value …` or `error <code>`), and how many of each. */
  readonly outcomes: Record<string, number>;
}

/** `call(i)` `n` times, one after the other: each call's time, and what each call ended with. */
export async function timeCalls<T>(
  n: number,
  targetMs: number,
  call: (i: number) => Promise<T>,
): Promise<TimedCalls> {
  const samples: number[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const outcome = await call(i).then(
      (value) => `value ${String(value)}`,
      (error: unknown) => `error ${(error as { code?: string }).code ?? (error as Error).name}`,
    );
    samples.push(performance.now() - started);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return {
    latency: summarizeLatencies(samples),
    slow: samples.filter((ms) => ms >= targetMs).length,
    totalMs: samples.reduce((sum, ms) => sum + ms, 0),
    outcomes: Object.fromEntries(outcomes),
  };
}

/** The machine's own stalls: an awaited Map lookup in a loop for `durationMs`; the lookups that took `targetMs` or longer. */
export async function machineStalls(
  durationMs: number,
  targetMs: number,
): Promise<{ durationMs: number; stalls: number; maxMs: number }> {
  const map = new Map([['k', 'v']]);
  const lookup = async (key: string) => map.get(key);
  const started = performance.now();
  let stalls = 0;
  let maxMs = 0;
  for (let now = started; now - started < durationMs; ) {
    await lookup('k');
    const after = performance.now();
    if (after - now >= targetMs) stalls++;
    maxMs = Math.max(maxMs, after - now);
    now = after;
  }
  return { durationMs: performance.now() - started, stalls, maxMs };
}
