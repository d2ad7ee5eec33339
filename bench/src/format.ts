/** 12345678 → "12,345,678". */
export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 12345678 → "12.3M", 45678 → "45.7k". */
export function compact(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

/** Time per call of an ops/s figure, in the unit that reads best. */
export function perCall(opsPerSecond: number): string {
  const ns = 1e9 / opsPerSecond;
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

export function milliseconds(value: number): string {
  return Number.isNaN(value) ? '-' : `${value.toFixed(2)} ms`;
}

export function ratio(value: number): string {
  return `${value.toFixed(1)}×`;
}

/** Lays rows out in columns: the first left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
          .join('   ')
          .trimEnd(),
    )
    .join('\n');
}
