/**
 * `pnpm --filter @redcache/bench bench:tracing`: near-hit `get` throughput with core's tracing
 * compiled in and nobody subscribed, against a copy of core with tracing compiled out (issue 13:
 * within 3 %). Both copies run in this process (see strip-tracing-hooks.ts), each a `Conn` on
 * an in-memory Redis with one primed key (a near hit never reaches Redis), timed in many short
 * interleaved rounds, so that a busy machine slows both alike; the median round of each.
 * Figures only: a missed target reads MISS. `AA=1` compares two plain copies instead (the
 * bench's own bias and noise on this machine).
 */
import { register } from 'node:module';
import { loadavg } from 'node:os';
import type * as Core from '@redcache/core';
import { opsPerSecond, warmUp } from '../measure.js';
import { median } from '../stats.js';
import { STRIPPED_MARK } from './strip-tracing-hooks.js';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const ROUND_MS = Number(process.env.ROUND_MS ?? 250);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1_000);
const BATCH = 1_000;
const TARGET = 0.03;
const TTL = 3_600_000;

register('./strip-tracing-hooks.ts', import.meta.url);
const { createMemoryRedis } = await import('@redcache/testing');
// Both sides are copies loaded alike (the plain import is the memory driver's). AA=1: a second
// plain copy in place of the stripped one, to see what the bench reads when nothing differs.
const AA = process.env.AA === '1';
const core = import.meta.resolve('@redcache/core');
const traced: typeof Core = await import(`${core}?copy`);
const stripped: typeof Core = await import(`${core}?${AA ? 'copy2' : 'stripped'}`);
if (((globalThis as Record<string, unknown>)[STRIPPED_MARK] === true) === AA)
  throw new Error(`bench: the ${AA ? 'plain' : 'stripped'} copy of core was not what loaded`);

const neverCalled = async (): Promise<string> => {
  throw new Error('bench: a primed key reached the loader');
};

/** A Conn of `core` on a fresh in-memory Redis, and a near hit of its primed key. */
async function side(name: string, core: typeof Core) {
  const conn = core.Conn.open(createMemoryRedis().connect(), {});
  const cache = core.newStringCache(conn, core.StringCodec);
  await cache.get('hit', TTL, async () => 'value');
  return { name, conn, hit: () => cache.get('hit', TTL, neverCalled), rates: [] as number[] };
}

const sides = [
  await side('tracing compiled in, no subscriber', traced),
  await side(AA ? 'the same, a second copy (A/A)' : 'tracing compiled out', stripped),
];
try {
  for (const s of sides) await warmUp(s.hit, { roundMs: ROUND_MS, warmupMs: WARMUP_MS, batch: BATCH });
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so a drift of the machine falls on both alike.
    for (const s of round % 2 === 0 ? sides : [...sides].reverse())
      s.rates.push(await opsPerSecond(s.hit, ROUND_MS, BATCH));
  }
  const [inRate, outRate] = sides.map((s) => median(s.rates)) as [number, number];
  const overhead = 1 - inRate / outRate;
  const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`near-hit get, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms (median), load average ${load}`);
  for (const [index, s] of sides.entries())
    console.log(`  ${s.name.padEnd(36)} ${fmt(index === 0 ? inRate : outRate)}`);
  const verdict = overhead <= TARGET ? 'OK' : 'MISS';
  console.log(
    `  ratio in/out ${(inRate / outRate).toFixed(4)}: overhead ${(overhead * 100).toFixed(2)} % (target ≤ ${TARGET * 100} %) ${verdict}`,
  );
} finally {
  await Promise.all(sides.map((s) => s.conn.close()));
}
