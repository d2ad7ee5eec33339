import type { BenchFigures } from './figures.js';
import { TARGETS } from './figures.js';
import { compact, integer, milliseconds, perCall, ratio, table } from './format.js';
import type { RoundsResult } from './rounds.js';

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

function roundsRow(result: RoundsResult): string[] {
  return [result.name, integer(result.median), perCall(result.median), result.rounds.map(compact).join(' ')];
}

/** The figures as a compact, readable report. */
export function report(figures: BenchFigures): string {
  const { hits, getMulti, coldMiss, roundTrip, stampede } = figures;
  const wake = stampede.followerWake;
  const wakes = Object.entries(stampede.wakes)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `redcache bench · Node ${figures.node} · Redis ${figures.redisVersion} · ` +
      `${figures.rounds} rounds × ${figures.roundMs} ms after ${figures.warmupMs} ms warm-up, median`,
    '',
    'Hits: one primed key, sequential awaited calls',
    table([
      ['', 'ops/s', 'per call', 'rounds'],
      roundsRow(hits.redcache),
      roundsRow(hits.nodeRedisCsc),
      roundsRow(hits.map),
      roundsRow(getMulti),
    ]),
    table([
      [
        'redcache / node-redis CSC',
        ratio(hits.redcacheOverCsc),
        `target ≥ ${TARGETS.redcacheOverCsc}×`,
        verdict(hits.redcacheOverCscPass),
      ],
      [
        'Map / redcache',
        ratio(hits.mapOverRedcache),
        `target ≤ ${TARGETS.mapOverRedcache}×`,
        verdict(hits.mapOverRedcachePass),
      ],
    ]),
    `  node-redis CSC counters over its rounds: ${integer(hits.cscCounters.hits)} hits, ` +
      `${integer(hits.cscCounters.misses)} misses`,
    `  getMulti: ${integer(getMulti.keysPerSecond)} keys/s (${getMulti.keysPerCall} near-cache hits per call)`,
    '',
    'Cold miss: sequential gets of distinct cold keys, trivial loader (read-or-lock script + CAS)',
    table([
      ['', 'ops/s', 'per call', 'rounds'],
      [
        coldMiss.name,
        integer(coldMiss.median),
        `${coldMiss.microsecondsPerMiss.toFixed(1)} µs`,
        coldMiss.rounds.map(compact).join(' '),
      ],
      [
        roundTrip.name,
        integer(roundTrip.median),
        `${roundTrip.microsecondsPerCall.toFixed(1)} µs`,
        roundTrip.rounds.map(compact).join(' '),
      ],
    ]),
    `  a cold miss costs ${ratio(coldMiss.microsecondsPerMiss / roundTrip.microsecondsPerCall)} a plain round trip`,
    '',
    `Writes: sequential calls on one key (multi: ${figures.batch} keys per call)`,
    table([['', 'ops/s', 'per call', 'rounds'], ...figures.writes.map(roundsRow)]),
    '',
    'Refresh-ahead on the hit path: every hit due (fraction 0.999, beta 0), one refresh in flight',
    table([['', 'ops/s', 'per call', 'rounds'], roundsRow(figures.refreshHits), roundsRow(hits.redcache)]),
    `  refresh check costs ${ratio(hits.redcache.median / figures.refreshHits.median)} a plain hit`,
    '',
    `Stampede: ${stampede.processes} processes × ${stampede.callersPerProcess} concurrent gets of one cold key, ` +
      `loader sleeps ${stampede.loaderMs} ms, ${stampede.keys} keys`,
    table([
      [
        'loader calls',
        String(stampede.loaderCalls),
        `per key: ${stampede.loaderCallsPerKey.join(' ')}`,
        verdict(stampede.loaderCallsPerKey.every((n) => n === 1)),
      ],
      ['waits ended', '', wakes === '' ? 'none' : wakes, ''],
      ['errors', String(stampede.errors.length), stampede.errors[0] ?? '', ''],
    ]),
    "  follower wake latency: from the leader's loader returning (its CAS follows at once) to get resolved",
    table(
      [
        ['', 'callers', 'p50', 'p99', 'max'],
        ['all followers', ...latencyCells(wake.all)],
        ["in the leader's process", ...latencyCells(wake.leaderProcess)],
        ['in the other processes', ...latencyCells(wake.otherProcesses)],
      ],
      '    ',
    ),
  ].join('\n');
}

function latencyCells(summary: BenchFigures['stampede']['followerWake']['all']): string[] {
  return [
    String(summary.count),
    milliseconds(summary.p50Ms),
    milliseconds(summary.p99Ms),
    milliseconds(summary.maxMs),
  ];
}
