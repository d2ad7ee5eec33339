import { compact, milliseconds } from '../format.js';
import { REDCACHE_NAME } from '../peers/redcache.js';
import type { RoundsResult } from '../rounds.js';
import type { PeerFigures } from './measure-peers.js';
import type { PeerTable } from './peer-tables.js';

const NODE_REDIS = REDCACHE_NAME['node-redis'];
const IOREDIS = REDCACHE_NAME.ioredis;

const rate = (results: readonly RoundsResult[], name: string) => results.find((r) => r.name === name)?.median;
const perSecond = (v: number) => `${compact(v)}/s`;

/** One row: the figure on each driver, and ioredis' over node-redis' ('-' when either is missing). */
function row(
  what: string,
  ioredis: number | undefined,
  nodeRedis: number | undefined,
  unit: (v: number) => string,
) {
  const known = ioredis !== undefined && nodeRedis !== undefined && nodeRedis !== 0;
  return [
    what,
    ioredis === undefined ? '-' : unit(ioredis),
    nodeRedis === undefined ? '-' : unit(nodeRedis),
    known ? `${(ioredis / nodeRedis).toFixed(2)}×` : '-',
  ];
}

/**
 * redcache on the ioredis driver against redcache on node-redis, from this run's tables (the
 * same rounds, interleaved): printed for issue 15, not a target. Above 1× is more ops/s or a
 * longer time on ioredis.
 */
export function driverRatioTable(f: PeerFigures): PeerTable {
  const [io, nr] = [IOREDIS, NODE_REDIS];
  const cold = f.coldMiss;
  const stampede = f.stampede;
  const ms = milliseconds;
  return {
    title: `${IOREDIS} ÷ ${NODE_REDIS} (node-redis), same run: for issue 15, not a target`,
    rows: [
      ['', IOREDIS, `${NODE_REDIS} (node-redis)`, 'ioredis ÷ node-redis'],
      row('hits, one key (ops/s)', rate(f.hits.oneKey, io), rate(f.hits.oneKey, nr), perSecond),
      row('hits, 10k Zipf (ops/s)', rate(f.hits.zipf, io), rate(f.hits.zipf, nr), perSecond),
      row('cold miss beyond the loader, p50', cold[io]?.p50Ms, cold[nr]?.p50Ms, ms),
      row('cold miss beyond the loader, p99', cold[io]?.p99Ms, cold[nr]?.p99Ms, ms),
      row('stampede wall (median round)', stampede[io]?.wallMedianMs, stampede[nr]?.wallMedianMs, ms),
      row(
        'stampede loader calls per key (max)',
        stampede[io]?.maxCallsPerKey,
        stampede[nr]?.maxCallsPerKey,
        String,
      ),
      row(
        'stampede follower wake p50, other processes',
        stampede[io]?.wake.otherProcesses.p50Ms,
        stampede[nr]?.wake.otherProcesses.p50Ms,
        ms,
      ),
      row(
        'stampede follower wake p99, other processes',
        stampede[io]?.wake.otherProcesses.p99Ms,
        stampede[nr]?.wake.otherProcesses.p99Ms,
        ms,
      ),
    ],
  };
}
