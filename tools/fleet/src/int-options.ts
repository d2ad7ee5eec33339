import { parseArgs } from 'node:util';

/** A `--name N` option whose value is a whole number. */
export interface IntOption {
  readonly default: number;
  /** Smallest value allowed. Default: 1. */
  readonly min?: number;
  /** Largest value allowed. Default: none. */
  readonly max?: number;
}

export type IntOptionValues<Name extends string> = { readonly [K in Name]: number };

/**
 * Parses `--name N` options (and `--help`), all of them whole numbers. Every bare `--` is
 * skipped (`pnpm demo -- --keys 5` passes one on). Throws on an unknown option, a stray
 * argument or a value out of range.
 */
export function parseIntOptions<Name extends string>(
  argv: readonly string[],
  spec: Readonly<Record<Name, IntOption>>,
): { readonly help: true } | { readonly help: false; readonly values: IntOptionValues<Name> } {
  const entries = Object.entries<IntOption>(spec);
  const options: Record<string, { type: 'string'; default: string } | { type: 'boolean'; default: boolean }> =
    {
      help: { type: 'boolean', default: false },
    };
  for (const [name, option] of entries) options[name] = { type: 'string', default: String(option.default) };
  const { values } = parseArgs({ args: argv.filter((arg) => arg !== '--'), options });
  if (values.help === true) return { help: true };
  const parsed = Object.fromEntries(
    entries.map(([name, option]) => [name, wholeNumber(String(values[name]), name, option)]),
  );
  return { help: false, values: parsed as IntOptionValues<Name> };
}

/**
 * `parseIntOptions` for a command line: `--help` prints `usage` and exits 0; a bad option
 * prints what is wrong and `usage`, and exits 2.
 */
export function intOptions<Name extends string>(
  argv: readonly string[],
  usage: string,
  spec: Readonly<Record<Name, IntOption>>,
): IntOptionValues<Name> {
  let parsed: ReturnType<typeof parseIntOptions<Name>>;
  try {
    parsed = parseIntOptions(argv, spec);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values;
}

function wholeNumber(text: string, name: string, { min = 1, max }: IntOption): number {
  const value = Number(text);
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return value;
  const range =
    max !== undefined
      ? `a whole number from ${min} to ${max}`
      : min === 1
        ? 'a positive integer'
        : `a whole number of at least ${min}`;
  throw new Error(`--${name} must be ${range}`);
}
