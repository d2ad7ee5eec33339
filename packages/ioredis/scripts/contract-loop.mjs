#!/usr/bin/env node
// Runs the ioredis driver's contract suites (single server, and cluster once it has one) N
// times in a row (default 20; `RUNS=50 pnpm contract:loop`) and prints, per file, how many
// runs passed every test. Exits 1 if any run failed. Issue 15, acceptance 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 20);
const files = ['src/driver-contract.test.ts', 'src/cluster/driver-contract.cluster.test.ts'].filter((file) =>
  existsSync(join(packageDir, file)),
);

let failed = 0;
for (const file of files) {
  let passed = 0;
  let tests = '';
  for (let run = 1; run <= runs; run++) {
    const result = spawnSync('pnpm', ['exec', 'vitest', 'run', file], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output = `${result.stdout}${result.stderr}`;
    tests = output.match(/Tests\s+(.*)/)?.[1]?.trim() ?? tests;
    if (result.status === 0) passed++;
    else {
      failed++;
      console.log(
        `${file}: run ${run} failed:\n${output
          .split('\n')
          .filter((line) => /FAIL|×|Error/.test(line))
          .join('\n')}`,
      );
    }
  }
  console.log(`${file}: ${passed} of ${runs} runs passed (${tests} in the last)`);
}
process.exit(failed === 0 ? 0 : 1);
