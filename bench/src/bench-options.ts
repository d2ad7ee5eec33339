import { intOptions } from '@redcache/fleet';
import type { MeasureOptions } from './measure.js';
import type { StampedePlan } from './stampede.js';

export interface BenchOptions {
  readonly rounds: number;
  readonly measure: MeasureOptions;
  readonly stampede: StampedePlan;
}

const USAGE = 'usage: pnpm bench [--rounds N] [--round-ms N] [--warmup-ms N]';

/**
 * `--rounds N --round-ms N --warmup-ms N` (defaults 3, 2000, 500); the stampede plan is fixed.
 * A bare `--` (which `pnpm bench -- --rounds 5` passes on) is skipped. Bad options exit 2.
 */
export function benchOptions(argv: readonly string[]): BenchOptions {
  const values = intOptions(argv, USAGE, {
    rounds: { default: 3 },
    'round-ms': { default: 2000 },
    'warmup-ms': { default: 500 },
  });
  return {
    rounds: values.rounds,
    measure: { roundMs: values['round-ms'], warmupMs: values['warmup-ms'], batch: 256 },
    stampede: { processes: 4, callersPerProcess: 100, keys: 5, loaderMs: 100 },
  };
}
