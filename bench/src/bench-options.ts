import { parseArgs } from 'node:util';
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
  try {
    return parse(argv.filter((arg) => arg !== '--'));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function parse(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string', default: '3' },
      'round-ms': { type: 'string', default: '2000' },
      'warmup-ms': { type: 'string', default: '500' },
    },
  });
  return {
    rounds: positive(values.rounds, 'rounds'),
    measure: {
      roundMs: positive(values['round-ms'], 'round-ms'),
      warmupMs: positive(values['warmup-ms'], 'warmup-ms'),
      batch: 256,
    },
    stampede: { processes: 4, callersPerProcess: 100, keys: 5, loaderMs: 100 },
  };
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}
