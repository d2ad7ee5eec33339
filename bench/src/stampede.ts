import { forkChild, wallClockMs } from '@redcache/fleet';
import { type LatencySummary, summarizeLatencies } from './latency-summary.js';
import type { StampedeChannel, StampedeRequest, StampedeResult } from './stampede-protocol.js';

export interface StampedePlan {
  readonly processes: number;
  readonly callersPerProcess: number;
  readonly keys: number;
  readonly loaderMs: number;
}

export interface StampedeFigures extends StampedePlan {
  /** Loader calls per key, across all processes (1 each when nothing stampedes). */
  readonly loaderCallsPerKey: number[];
  readonly loaderCalls: number;
  /** How waits ended, across all processes and keys (from the 'wait ended' debug events). */
  readonly wakes: Record<string, number>;
  /**
   * From the leader's loader returning (its CAS follows at once) to each other caller's
   * `get` resolving: every follower, those in the leader's own process, those in the others.
   */
  readonly followerWake: {
    readonly all: LatencySummary;
    readonly leaderProcess: LatencySummary;
    readonly otherProcesses: LatencySummary;
  };
  readonly errors: string[];
}

/** Lead time before the agreed start instant: room for the request to reach every process. */
const START_DELAY_MS = 100;
const TTL_MS = 60_000;
const workerModule = new URL('./stampede-worker.ts', import.meta.url);

/**
 * Forks `processes` workers, then for each of `keys` cold keys has every worker fire
 * `callersPerProcess` concurrent gets at the same instant. Returns the figures and the
 * keys written (for cleanup).
 */
export async function runStampede(
  url: string,
  prefix: string,
  plan: StampedePlan,
): Promise<{ figures: StampedeFigures; keys: string[] }> {
  const workers = await Promise.all(
    Array.from({ length: plan.processes }, () =>
      forkChild<StampedeChannel>(workerModule, [url], { name: 'stampede worker' }),
    ),
  );
  const keys = Array.from({ length: plan.keys }, (_, i) => `${prefix}stampede:${i}`);
  const perKey: StampedeResult[][] = [];
  try {
    for (const key of keys) {
      const request: StampedeRequest = {
        key,
        callers: plan.callersPerProcess,
        loaderMs: plan.loaderMs,
        ttlMs: TTL_MS,
        startAt: wallClockMs() + START_DELAY_MS,
      };
      perKey.push(await Promise.all(workers.map((worker) => worker.request(request))));
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
  return { figures: summarize(plan, perKey), keys };
}

function summarize(plan: StampedePlan, perKey: readonly StampedeResult[][]): StampedeFigures {
  const all: number[] = [];
  const leaderProcess: number[] = [];
  const otherProcesses: number[] = [];
  const wakes: Record<string, number> = {};
  const errors: string[] = [];
  for (const results of perKey) {
    const leader = results.find((r) => r.loadedAt !== null);
    for (const result of results) {
      errors.push(...result.errors);
      for (const [reason, count] of Object.entries(result.wakes))
        wakes[reason] = (wakes[reason] ?? 0) + count;
      if (leader?.loadedAt == null) continue;
      const latencies = result.followerResolvedAt.map((at) => at - leader.loadedAt!);
      all.push(...latencies);
      (result === leader ? leaderProcess : otherProcesses).push(...latencies);
    }
  }
  const loaderCallsPerKey = perKey.map((results) => results.reduce((sum, r) => sum + r.loaderCalls, 0));
  return {
    ...plan,
    loaderCallsPerKey,
    loaderCalls: loaderCallsPerKey.reduce((a, b) => a + b, 0),
    wakes,
    followerWake: {
      all: summarizeLatencies(all),
      leaderProcess: summarizeLatencies(leaderProcess),
      otherProcesses: summarizeLatencies(otherProcesses),
    },
    errors,
  };
}
