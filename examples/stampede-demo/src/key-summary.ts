import type { KeyOutcome } from './protocol.js';

/** How every caller of one key, across every process, got its value. */
export interface KeySummary {
  readonly key: string;
  /** Loader calls counted in Redis (INCR by the loader), across all processes. */
  readonly loaderCalls: number;
  readonly callers: number;
  readonly served: number;
  readonly errors: string[];
  /** The caller whose loader ran. */
  readonly ranLoader: number;
  /** Callers that joined their process' flight: no Redis command of their own. */
  readonly followers: number;
  /** Flight leaders that waited on another process' lock, by what ended their last wait. */
  readonly woken: { invalidation: number; poll: number; timeout: number; flush: number };
  /** Flight leaders that read the value straight from Redis (it was already there): no lock, no wait. */
  readonly readFromRedis: number;
  /** Every wait that ended, by reason (a flight can wait more than once). */
  readonly waits: Record<string, number>;
  /** Processes whose callers of this key formed more than one flight (expected: none). */
  readonly splitProcesses: number;
  readonly loadedBy: string | null;
}

/** Sums one key's outcomes over the processes. `loaderCalls` is the count read from Redis. */
export function summarizeKey(key: string, outcomes: readonly KeyOutcome[], loaderCalls: number): KeySummary {
  const woken = { invalidation: 0, poll: 0, timeout: 0, flush: 0 };
  const waits: Record<string, number> = {};
  let ranLoader = 0;
  let followers = 0;
  let readFromRedis = 0;
  let splitProcesses = 0;
  for (const outcome of outcomes) {
    const waitCount = Object.values(outcome.waits).reduce((a, b) => a + b, 0);
    for (const [reason, count] of Object.entries(outcome.waits)) waits[reason] = (waits[reason] ?? 0) + count;
    // One flight per process is expected: its leader ran the loader, or waited and was woken,
    // or found the value in Redis. Everyone else in the process followed the flight.
    const got = outcome.callers - outcome.errors.length;
    const leaders = outcome.flights;
    if (leaders > 1) splitProcesses++;
    followers += got - leaders;
    ranLoader += outcome.ranLoader;
    const otherLeaders = leaders - Math.min(outcome.ranLoader, leaders);
    if (otherLeaders === 0) continue;
    if (waitCount === 0) {
      readFromRedis += otherLeaders;
      continue;
    }
    const reason = outcome.lastWake as keyof typeof woken;
    if (reason in woken) woken[reason] += otherLeaders;
  }
  return {
    key,
    loaderCalls,
    callers: sum(outcomes, (o) => o.callers),
    served: sum(outcomes, (o) => o.served),
    errors: outcomes.flatMap((o) => o.errors),
    ranLoader,
    followers,
    woken,
    readFromRedis,
    waits,
    splitProcesses,
    loadedBy: outcomes.find((o) => o.loadedBy !== null)?.loadedBy ?? null,
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
