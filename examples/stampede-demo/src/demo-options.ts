import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** Worker processes, each with its own Conn. */
  readonly processes: number;
  /** Cold keys stampeded at once. */
  readonly keys: number;
  /** Concurrent callers per process per key. */
  readonly callers: number;
  /** How long the loader takes. */
  readonly loaderMs: number;
}

const USAGE = 'usage: pnpm demo [--processes N] [--keys N] [--callers N] [--loader-ms N]';

/**
 * Parses `--processes N --keys N --callers N --loader-ms N` (defaults 4, 3, 50, 300). A bare
 * `--` (which `pnpm demo -- --keys 5` passes on) is skipped. Bad options print usage and exit 2.
 */
export function demoOptions(argv: readonly string[]): DemoOptions {
  try {
    return parse(argv.filter((arg) => arg !== '--'));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function parse(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      processes: { type: 'string', default: '4' },
      keys: { type: 'string', default: '3' },
      callers: { type: 'string', default: '50' },
      'loader-ms': { type: 'string', default: '300' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    processes: whole(values.processes, 'processes', 1, 32),
    keys: whole(values.keys, 'keys', 1, 100),
    callers: whole(values.callers, 'callers', 1, 10_000),
    loaderMs: whole(values['loader-ms'], 'loader-ms', 1, 5_000),
  };
}

function whole(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}
