import { milliseconds, table } from '../format.js';
import { FAIL_FAST_TARGET_MS } from './breaker-fail-fast.js';
import { FALLBACK_TARGET_MS } from './failsafe-fallback.js';
import type { OutageFigures } from './measure-outage.js';
import type { TimedCalls } from './time-calls.js';

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const tally = (outcomes: Record<string, number>) =>
  Object.entries(outcomes)
    .map(([outcome, n]) => `${n} × ${outcome}`)
    .join(', ');

function row(name: string, { latency, slow, totalMs }: TimedCalls, targetMs: number): string[] {
  return [
    name,
    String(latency.count),
    `${Math.round(totalMs)} ms`,
    milliseconds(latency.p50Ms),
    milliseconds(latency.p99Ms),
    milliseconds(latency.maxMs),
    `${(latency.p50Ms / targetMs).toFixed(3)}×`,
    `${(latency.p99Ms / targetMs).toFixed(3)}×`,
    String(slow),
    `< ${targetMs} ms`,
    verdict(latency.p99Ms < targetMs),
  ];
}

/** The "When Redis is down" figures as report lines; the verdict is p99 against the target. */
export function outageReport(figures: OutageFigures): string {
  const { machine, breakerFailFast: fast, failSafeFallback: safe, yardstick: yard } = figures;
  return [
    `When Redis is down: a redis-server of its own, SIGKILLed; sequential gets once the breaker is open · ` +
      `${machine.cpus} × ${machine.cpuModel} · load average (1 min) ${machine.loadBefore.toFixed(2)} before, ` +
      `${machine.loadAfter.toFixed(2)} after`,
    table([
      ['', 'calls', 'loop', 'p50', 'p99', 'max', 'p50/target', 'p99/target', '≥ target', 'target', ''],
      row('breaker-fail-fast: get, default options', fast.timed, FAIL_FAST_TARGET_MS),
      row('failsafe-fallback: get of a warm key', safe.fallback, FALLBACK_TARGET_MS),
      row("failsafe-fallback: get of a cold key, 'load'", safe.degraded, FALLBACK_TARGET_MS),
    ]),
    `  breaker-fail-fast: open ${Math.round(fast.openAfterMs)} ms after the kill (${fast.downReason}); ` +
      `${tally(fast.timed.outcomes)}; ${fast.namingServer} naming the server; command timeouts ${fast.commandTimeouts}`,
    `  failsafe-fallback: open ${Math.round(safe.openAfterMs)} ms after the kill; warm key: ` +
      `${tally(safe.fallback.outcomes)}, loader calls ${safe.fallbackLoaderCalls} ` +
      `(${verdict(safe.fallbackLoaderCalls === 0)}), failSafeServed ${safe.failSafeServed}; cold key: ` +
      `${tally(safe.degraded.outcomes)}, loader calls ${safe.degradedLoaderCalls}, degradedLoads ` +
      `${safe.degradedLoads}; command timeouts ${safe.commandTimeouts}`,
    `  yardstick: an awaited Map lookup in a loop for ${Math.round(yard.durationMs)} ms: ${yard.stalls} took ` +
      `≥ ${FALLBACK_TARGET_MS} ms (the machine's own stalls), max ${milliseconds(yard.maxMs)}`,
  ].join('\n');
}
