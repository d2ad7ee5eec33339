import type { RoundsResult } from '../rounds.js';
import type { PeerFigures } from './measure-peers.js';

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
}

function row(target: string, ratio: number, bound: 'max' | 'min', limit: number): TargetRow {
  const pass = bound === 'max' ? ratio <= limit : ratio >= limit;
  return { target, ratio, bound, limit, pass, score: bound === 'max' ? limit / ratio : ratio / limit };
}

const rate = (results: readonly RoundsResult[], name: string) => results.find((r) => r.name === name)!.median;

/** The targets 1–7, as ratios measured in this run. */
export function peerTargets(f: PeerFigures): TargetRow[] {
  const rc = 'redcache';
  const cm = 'cache-manager';
  const raw = 'raw 2-RTT protocol (node-redis)';
  const hits = f.hits;
  const stampede = f.stampede[rc]!;
  return [
    row('1. cold miss p50 ÷ cache-manager', f.coldMiss[rc]!.p50Ms / f.coldMiss[cm]!.p50Ms, 'max', 1),
    row('1. cold miss p50 ÷ raw 2-RTT protocol', f.coldMiss[rc]!.p50Ms / f.coldMiss[raw]!.p50Ms, 'max', 1.2),
    row('2. 1,000 cold keys/s ÷ cache-manager', f.coldBurst[rc]!.median / f.coldBurst[cm]!.median, 'min', 1),
    row(
      '3. getMulti 100 cold p50 ÷ cache-manager',
      f.getMulti.cold[rc]!.p50Ms / f.getMulti.cold[cm]!.p50Ms,
      'max',
      1,
    ),
    row(
      '3. getMulti 100 warm ÷ Map loop',
      rate(f.getMulti.warm, rc) / f.getMulti.warm[f.getMulti.warm.length - 1]!.median,
      'min',
      0.6,
    ),
    row(
      '4. hits 10k zipf ÷ lru-cache',
      rate(hits.zipf, rc) / rate(hits.zipf, 'lru-cache (awaited get)'),
      'min',
      0.8,
    ),
    row('4. hits one key ÷ Map', rate(hits.oneKey, rc) / rate(hits.oneKey, 'Map (awaited get)'), 'min', 0.8),
    row('5. memory per entry ÷ Map', f.memory[rc]! / f.memory.Map!, 'max', 1.3),
    row(
      '6. visible in B p99 ÷ node-redis CSC (push + GET)',
      f.visibility[rc]!.p99Ms / f.visibility['node-redis CSC']!.p99Ms,
      'max',
      1,
    ),
    row('7. stampede loader calls per key (max)', stampede.maxCallsPerKey, 'max', 1),
    row(
      '7. stampede wall time ÷ cache-manager',
      stampede.wallMedianMs / f.stampede[cm]!.wallMedianMs,
      'max',
      1,
    ),
  ];
}
