import { cpus, loadavg } from 'node:os';
import { type FailFastFigures, measureBreakerFailFast } from './breaker-fail-fast.js';
import { FALLBACK_TARGET_MS, type FallbackFigures, measureFailSafeFallback } from './failsafe-fallback.js';
import { machineStalls } from './time-calls.js';

/** Timed calls per figure. */
export const OUTAGE_CALLS = 10_000;
const YARDSTICK_MS = 1_000;

/** The machine and its 1-minute load average before and after the entries: a loaded machine slows every figure. */
export interface MachineLoad {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

export interface OutageFigures {
  readonly machine: MachineLoad;
  readonly breakerFailFast: FailFastFigures;
  readonly failSafeFallback: FallbackFigures;
  /** An awaited Map lookup in a loop for `YARDSTICK_MS`: the machine's own stalls (scheduling, GC), for scale. */
  readonly yardstick: Awaited<ReturnType<typeof machineStalls>>;
}

/** The "When Redis is down" entries, `breaker-fail-fast` then `failsafe-fallback`, each on a redis-server of its own. */
export async function measureOutage(progress: (message: string) => void): Promise<OutageFigures> {
  const loadBefore = loadavg()[0]!;
  progress('breaker-fail-fast: a redis-server killed under a warm Conn, gets once the breaker is open');
  const breakerFailFast = await measureBreakerFailFast(OUTAGE_CALLS);
  progress('failsafe-fallback: the same, with failSafe and whenRedisIsDown: load');
  const failSafeFallback = await measureFailSafeFallback(OUTAGE_CALLS);
  const yardstick = await machineStalls(YARDSTICK_MS, FALLBACK_TARGET_MS);
  const cpu = cpus();
  return {
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', loadBefore, loadAfter: loadavg()[0]! },
    breakerFailFast,
    failSafeFallback,
    yardstick,
  };
}
