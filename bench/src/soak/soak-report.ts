import type { HeapSample } from './run-soak.js';

/** The bound of issue 10's acceptance: retained heap grows by less than this from the baseline call to the last. */
export const GROWTH_BOUND_BYTES = 2 * 1024 * 1024;

export interface SoakVerdict {
  readonly baseline: HeapSample;
  readonly last: HeapSample;
  readonly growthBytes: number;
  readonly pass: boolean;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(2);
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))}`;

/** Growth from the sample at `baselineAt` to the last sample before close. */
export function soakVerdict(samples: readonly HeapSample[], baselineAt: number): SoakVerdict {
  const baseline = samples.find((s) => s.call === baselineAt);
  const last = samples.filter((s) => s.phase !== 'closed').at(-1);
  if (baseline === undefined || last === undefined) throw new Error(`soak: no sample at call ${baselineAt}`);
  const growthBytes = last.heapBytes - baseline.heapBytes;
  return { baseline, last, growthBytes, pass: growthBytes < GROWTH_BOUND_BYTES };
}

/** One row of the table, printed as the sample is taken. */
export function sampleRow(sample: HeapSample, baselineBytes: number | undefined): string {
  const delta = baselineBytes === undefined ? '' : signedMb(sample.heapBytes - baselineBytes);
  const call = sample.phase === 'closed' ? 'after close()' : sample.call.toLocaleString('en-US');
  return [
    call.padStart(13),
    sample.phase.padEnd(8),
    mb(sample.heapBytes).padStart(9),
    delta.padStart(12),
    String(sample.serverKeys).padStart(11),
    `${(sample.elapsedMs / 1000).toFixed(1)} s`.padStart(9),
  ].join('  ');
}

export const TABLE_HEADER = [
  'call'.padStart(13),
  'phase'.padEnd(8),
  'heap MB'.padStart(9),
  'Δ vs base'.padStart(12),
  'server keys'.padStart(11),
  'elapsed'.padStart(9),
].join('  ');

export function verdictLine(verdict: SoakVerdict): string {
  const from = verdict.baseline.call.toLocaleString('en-US');
  const to = verdict.last.call.toLocaleString('en-US');
  return (
    `retained heap after GC, call ${from} → call ${to}: ${signedMb(verdict.growthBytes)} MB ` +
    `(bound: < ${mb(GROWTH_BOUND_BYTES)} MB): ${verdict.pass ? 'PASS' : 'FAIL'}`
  );
}
