import { compact, integer, milliseconds } from '../format.js';
import type { RoundsResult } from '../rounds.js';
import type { PeerFigures } from './measure-peers.js';
import { pushPlusRoundTripP99 } from './stampede-tables.js';

/** One of the targets: redcache's figure over a yardstick's, held to a limit. */
export interface TargetRow {
  readonly target: string;
  readonly ratio: number;
  /** The ratio passes at or below (`max`) or at or above (`min`) the limit. */
  readonly bound: 'max' | 'min';
  readonly limit: number;
  readonly pass: boolean;
  /** Ratio over limit, turned so that 1 or more passes (the plot's bar). */
  readonly score: number;
  /** The two figures of the ratio: redcache's, and the yardstick's. */
  readonly figures: string;
}

function row(
  target: string,
  own: number,
  yardstick: number,
  bound: 'max' | 'min',
  limit: number,
  unit: (v: number) => string,
): TargetRow {
  const ratio = own / yardstick;
  const pass = bound === 'max' ? ratio <= limit : ratio >= limit;
  const score = bound === 'max' ? limit / ratio : ratio / limit;
  return { target, ratio, bound, limit, pass, score, figures: `${unit(own)} vs ${unit(yardstick)}` };
}

const rate = (results: readonly RoundsResult[], name: string) => results.find((r) => r.name === name)!.median;
const perSecond = (v: number) => `${compact(v)}/s`;
const bytes = (v: number) => `${integer(v)} B`;
const count = (v: number) => String(v);

/** The targets 1–7, as ratios measured in this run. */
export function peerTargets(f: PeerFigures): TargetRow[] {
  const rc = 'redcache';
  const cm = 'cache-manager';
  const raw = 'raw 2-RTT protocol (node-redis)';
  const hits = f.hits;
  const stampede = f.stampede[rc]!;
  const ms = milliseconds;
  return [
    row('1. cold miss p50 ÷ cache-manager', f.coldMiss[rc]!.p50Ms, f.coldMiss[cm]!.p50Ms, 'max', 1, ms),
    row(
      '1. cold miss p50 ÷ raw 2-RTT protocol',
      f.coldMiss[rc]!.p50Ms,
      f.coldMiss[raw]!.p50Ms,
      'max',
      1.2,
      ms,
    ),
    row(
      '2. 1,000 cold keys/s ÷ cache-manager',
      f.coldBurst[rc]!.median,
      f.coldBurst[cm]!.median,
      'min',
      1,
      perSecond,
    ),
    row(
      '3. getMulti 100 cold p50 ÷ cache-manager',
      f.getMulti.cold[rc]!.p50Ms,
      f.getMulti.cold[cm]!.p50Ms,
      'max',
      1,
      ms,
    ),
    row(
      '3. getMulti 100 warm ÷ Map loop',
      rate(f.getMulti.warm, rc),
      f.getMulti.warm[f.getMulti.warm.length - 1]!.median,
      'min',
      0.6,
      perSecond,
    ),
    row(
      '4. hits 10k zipf ÷ lru-cache',
      rate(hits.zipf, rc),
      rate(hits.zipf, 'lru-cache (awaited get)'),
      'min',
      0.8,
      perSecond,
    ),
    row(
      '4. hits one key ÷ Map',
      rate(hits.oneKey, rc),
      rate(hits.oneKey, 'Map (awaited get)'),
      'min',
      0.8,
      perSecond,
    ),
    row('5. memory per entry ÷ Map', f.memory[rc]!, f.memory.Map!, 'max', 1.3, bytes),
    row(
      '6. follower wake p99, another process ÷ (raw push p99 + GET p99)',
      stampede.wake.otherProcesses.p99Ms,
      pushPlusRoundTripP99(f.stampede),
      'max',
      1,
      ms,
    ),
    row('7. stampede loader calls per key (max)', stampede.maxCallsPerKey, 1, 'max', 1, count),
    row(
      '7. stampede wall time ÷ cache-manager',
      stampede.wallMedianMs,
      f.stampede[cm]!.wallMedianMs,
      'max',
      1,
      ms,
    ),
  ];
}
