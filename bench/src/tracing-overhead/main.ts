/**
 * `pnpm --filter @redcache/bench bench:tracing`: near-hit `get` throughput with core's tracing
 * compiled in and nobody subscribed, against the same with tracing compiled out (issue 13:
 * within 3 %). Two worker processes (one module graph each), warmed up, then timed in
 * interleaved rounds; the median round of each. Figures only: a missed target reads MISS.
 */
import { loadavg } from 'node:os';
import { forkChild } from '@redcache/fleet';
import { median } from '../stats.js';
import type { HitWorkerChannel } from './protocol.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MS = Number(process.env.ROUND_MS ?? 2_000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1_000);
const TARGET = 0.03;

const worker = new URL('./hit-worker.ts', import.meta.url);
const sides = [
  {
    name: 'tracing compiled in, no subscriber',
    child: await forkChild<HitWorkerChannel>(worker, ['traced']),
  },
  { name: 'tracing compiled out', child: await forkChild<HitWorkerChannel>(worker, ['stripped']) },
];
try {
  for (const side of sides) await side.child.request({ type: 'warmup', ms: WARMUP_MS });
  const rates = sides.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so a drift of the machine falls on both alike.
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const { opsPerSecond } = await sides[index]!.child.request({ type: 'round', ms: ROUND_MS });
      rates[index]!.push(opsPerSecond);
    }
  }
  const [traced, stripped] = rates.map(median) as [number, number];
  const overhead = 1 - traced / stripped;
  const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
  console.log(
    `near-hit get, ${ROUNDS} rounds of ${ROUND_MS} ms (median), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [index, side] of sides.entries())
    console.log(
      `  ${side.name.padEnd(36)} ${fmt(index === 0 ? traced : stripped)}   rounds: ${rates[index]!.map(fmt).join(', ')}`,
    );
  console.log(
    `  ratio in/out ${(traced / stripped).toFixed(4)}: overhead ${(overhead * 100).toFixed(2)} % (target ≤ ${TARGET * 100} %) ${overhead <= TARGET ? 'OK' : 'MISS'}`,
  );
} finally {
  await Promise.all(sides.map((side) => side.child.close()));
}
