/**
 * `pnpm soak`: issue 10's leak check. 1,000,000 distinct-key misses, then 300,000 sets, every
 * call with one long-lived caller signal; the heap after GC at call 100,000 against the last
 * call's must grow by less than 2 MB. Memory driver by default, `--redis` for a real Redis.
 * Prints a table and PASS or FAIL; exits 1 on FAIL. Needs `node --expose-gc` (the script has it).
 */
import { runPrefix } from '../bench-keys.js';
import { retainedHeapBytes } from './heap-sample.js';
import { type HeapSample, runSoak } from './run-soak.js';
import { soakOptions } from './soak-options.js';
import { sampleRow, soakVerdict, TABLE_HEADER, verdictLine } from './soak-report.js';
import { memoryTarget, redisTarget } from './soak-target.js';

const options = soakOptions(process.argv.slice(2));
const target = options.redis ? await redisTarget() : memoryTarget();
console.log(`soak on ${target.name}, node ${process.version}`);
console.log(
  `${options.misses.toLocaleString('en-US')} get misses, then ${options.sets.toLocaleString('en-US')} sets, ` +
    'one long-lived caller signal; heap after GC, baseline at call ' +
    `${options.baselineAt.toLocaleString('en-US')}\n`,
);
console.log(TABLE_HEADER);

let baselineBytes: number | undefined;
const print = (sample: HeapSample) => {
  if (sample.call === options.baselineAt && sample.phase !== 'closed') baselineBytes = sample.heapBytes;
  console.log(sampleRow(sample, baselineBytes));
};

let samples: HeapSample[];
const startedAt = performance.now();
try {
  samples = await runSoak(target, runPrefix(), options, print);
} finally {
  await target.conn.close();
}
const closed: HeapSample = {
  call: samples.at(-1)?.call ?? 0,
  phase: 'closed',
  heapBytes: await retainedHeapBytes(),
  serverKeys: await target.serverKeys(),
  elapsedMs: performance.now() - startedAt,
};
print(closed);
await target.stop();

const verdict = soakVerdict(samples, options.baselineAt);
console.log(`\n${verdictLine(verdict)}`);
if (!verdict.pass) process.exitCode = 1;
