import { compact, integer, milliseconds, perCall, ratio } from '../format.js';
import type { LatencySummary } from '../latency-summary.js';
import { healthLine } from '../peers/redcache-health.js';
import type { RoundsResult } from '../rounds.js';
import { BURST_KEYS } from './cold-burst.js';
import { LOADER_MS } from './cold-miss.js';
import { driverRatioTable } from './driver-ratios.js';
import { MULTI_KEYS } from './get-multi.js';
import { ZIPF_KEYS, ZIPF_S } from './hits.js';
import type { PeerFigures } from './measure-peers.js';
import { MEMORY_ENTRIES } from './memory.js';
import { peerTargets } from './peer-targets.js';
import { stampedeTables } from './stampede-tables.js';

/** One table of the peers section: printed by the report, and written into docs/benchmarks.md. */
export interface PeerTable {
  readonly title: string;
  readonly rows: string[][];
}

const RC = 'redcache';

function roundsTable(title: string, results: readonly RoundsResult[], keysPerCall = 1): PeerTable {
  const own = results.find((r) => r.name === RC)!.median;
  return {
    title,
    rows: [
      ['', keysPerCall === 1 ? 'ops/s' : 'calls/s', 'per call', 'redcache ÷ it', 'rounds'],
      ...results.map((r) => [
        r.name,
        integer(r.median),
        perCall(r.median),
        ratio(own / r.median),
        r.rounds.map(compact).join(' '),
      ]),
    ],
  };
}

/** An extra column of a latency table: its header and each row's cell. */
interface Column {
  readonly header: string;
  cell(name: string): string;
}

function latencyTable(
  title: string,
  figures: Record<string, LatencySummary>,
  before: readonly Column[] = [],
  after: readonly Column[] = [],
): PeerTable {
  const own = figures[RC]!.p50Ms;
  return {
    title,
    rows: [
      [
        '',
        ...before.map((c) => c.header),
        'samples',
        'p50',
        'p99',
        'max',
        'redcache p50 ÷ its',
        ...after.map((c) => c.header),
      ],
      ...Object.entries(figures).map(([name, s]) => [
        name,
        ...before.map((c) => c.cell(name)),
        String(s.count),
        milliseconds(s.p50Ms),
        milliseconds(s.p99Ms),
        milliseconds(s.maxMs),
        ratio(own / s.p50Ms),
        ...after.map((c) => c.cell(name)),
      ]),
    ],
  };
}

/** Every peer workload's table, then the targets. */
export function peerTables(f: PeerFigures): PeerTable[] {
  const burstOwn = f.coldBurst[RC]!.median;
  return [
    roundsTable('Hits, one primed key (sequential awaited gets)', f.hits.oneKey),
    roundsTable(`Hits, ${integer(ZIPF_KEYS)} primed keys, Zipf ${ZIPF_S}`, f.hits.zipf),
    latencyTable(
      `Cold miss: time beyond a ${LOADER_MS} ms loader (sequential, one cold key per call)`,
      f.coldMiss,
    ),
    {
      title: `${integer(BURST_KEYS)} distinct cold keys requested at once (trivial loader)`,
      rows: [
        ['', 'keys/s', 'redcache ÷ it', 'rounds'],
        ...Object.entries(f.coldBurst).map(([name, b]) => [
          name,
          integer(b.median),
          ratio(burstOwn / b.median),
          b.rounds.map(compact).join(' '),
        ]),
      ],
    },
    latencyTable(`getMulti of ${MULTI_KEYS} cold keys (trivial loader)`, f.getMulti.cold, [
      { header: 'how', cell: (name) => f.getMulti.how[name] ?? '' },
    ]),
    roundsTable(`getMulti of ${MULTI_KEYS} warm keys`, f.getMulti.warm, MULTI_KEYS),
    {
      title: `Memory per entry: ${integer(MEMORY_ENTRIES)} entries of a 1 KB JSON value, retained heap after GC (a process each)`,
      rows: [
        ['', 'bytes per entry', '÷ Map'],
        ...Object.entries(f.memory).map(([name, bytes]) => [
          name,
          integer(bytes),
          ratio(bytes / f.memory.Map!),
        ]),
      ],
    },
    latencyTable(
      'Write in A, visible in B (two instances, this process; target 6 is across processes, in the stampede)',
      f.visibility,
      [],
      [{ header: 'not seen in 2 s', cell: (name) => String(f.visibility[name]!.unseen) }],
    ),
    ...stampedeTables(f.stampede),
    driverRatioTable(f),
    {
      title: `Targets (issue 12), redcache's ratio measured in this run (redcache's health, both drivers: ${healthLine(f.redcacheHealth)})`,
      rows: [
        ['', 'redcache vs yardstick', 'ratio', 'target', ''],
        ...peerTargets(f).map((t) => [
          t.target,
          t.figures,
          t.ratio.toFixed(2),
          `${t.bound === 'max' ? '≤' : '≥'} ${t.limit}`,
          t.pass ? 'PASS' : 'MISS',
        ]),
      ],
    },
  ];
}
