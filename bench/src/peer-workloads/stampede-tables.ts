import { milliseconds } from '../format.js';
import type { LatencySummary } from '../latency-summary.js';
import { REDCACHE_NAME } from '../peers/redcache.js';
import { median } from '../stats.js';
import type { PeerTable } from './peer-tables.js';
import { PEER_STAMPEDE, RAW_PUBSUB, RAW_PUSH } from './stampede.js';
import type { PeerStampedeFigures } from './stampede-summary.js';

const st = PEER_STAMPEDE;
const pair = (s: LatencySummary | undefined) =>
  s === undefined || s.count === 0 ? '-' : `${milliseconds(s.p50Ms)} / ${milliseconds(s.p99Ms)}`;

/** The pub/sub prototype's verdict: the share of the follower p50 (other processes) it takes off the push + GET. */
export function pubSubGain(f: Record<string, PeerStampedeFigures>): number {
  return 1 - f[RAW_PUBSUB]!.wake.otherProcesses.p50Ms / f[RAW_PUSH]!.wake.otherProcesses.p50Ms;
}

/** The same, paired by round (the contenders run one after another in each round): the median of the rounds' gains. */
export function pairedPubSubGain(f: Record<string, PeerStampedeFigures>): number {
  const push = f[RAW_PUSH]!.wake.otherProcessesRoundP50Ms;
  const pubsub = f[RAW_PUBSUB]!.wake.otherProcessesRoundP50Ms;
  return median(push.map((p, r) => 1 - pubsub[r]! / p));
}

/** Target 6's floor: the raw push's p99 (from the write's call to its arrival in another process) plus one GET's p99. */
export function pushPlusRoundTripP99(f: Record<string, PeerStampedeFigures>): number {
  const raw = f[RAW_PUSH]!.wake;
  return raw.toPush!.p99Ms + raw.getAfterPush!.p99Ms;
}

export function stampedeTables(f: Record<string, PeerStampedeFigures>): PeerTable[] {
  const rounds = Object.values(f)[0]!.wallMs.length;
  const shape = `${st.processes} processes × ${st.callers} concurrent callers over ${st.keys} cold keys, loader ${st.loaderMs} ms, ${rounds} rounds after a warm-up round`;
  return [
    {
      title: `Stampede: ${shape}`,
      rows: [
        ['', 'loader calls per round', 'max per key', 'wall (median)', 'p50', 'p99', 'errors'],
        ...Object.entries(f).map(([name, s]) => [
          name,
          s.loaderCalls.join(' '),
          String(s.maxCallsPerKey),
          milliseconds(s.wallMedianMs),
          milliseconds(s.latency.p50Ms),
          milliseconds(s.latency.p99Ms),
          String(s.errors.length),
        ]),
      ],
    },
    {
      title: 'Stampede: where the wall time goes (ms from the agreed instant, median round)',
      rows: [
        [
          '',
          'last process fired',
          'last loader started',
          'last loader returned',
          'wall',
          'after the last load',
          'fire → loader (p50)',
          'loader (p50)',
          'callers fired in',
          'CPU per process',
        ],
        ...Object.entries(f).map(([name, s]) => [
          name,
          milliseconds(s.stages.lastFiredMs),
          milliseconds(s.stages.lastLoaderStartMs),
          milliseconds(s.stages.lastLoadedMs),
          milliseconds(s.stages.wallMs),
          milliseconds(s.stages.wallMs - s.stages.lastLoadedMs),
          milliseconds(s.stages.fireToLoaderP50Ms),
          milliseconds(s.stages.loaderP50Ms),
          milliseconds(s.stages.burstMs),
          milliseconds(s.stages.cpuMs),
        ]),
      ],
    },
    {
      title:
        "Stampede: follower wake, from the key's one loader returning to the follower's value (p50 / p99); the contenders that load once per key",
      rows: [
        [
          '',
          "leader's process",
          'other processes',
          'to the push (or wait end)',
          'then GET (or re-read)',
          'woken by',
        ],
        ...[REDCACHE_NAME['node-redis'], REDCACHE_NAME.ioredis, RAW_PUSH, RAW_PUBSUB]
          .flatMap((n) => (f[n] === undefined ? [] : [[n, f[n]] as const]))
          .map(([name, s]) => [
            name,
            pair(s.wake.ownProcess),
            pair(s.wake.otherProcesses),
            pair(s.wake.toPush ?? s.wake.toWaitEnd),
            pair(s.wake.getAfterPush ?? s.wake.waitEndToValue),
            s.wake.byMessage === undefined
              ? Object.entries(s.waitsEnded)
                  .map(([reason, n]) => `${reason} ${n}`)
                  .join(', ') || '-'
              : `message ${s.wake.byMessage}, push ${s.wake.byPush}`,
          ]),
      ],
    },
    wakeExperimentTable(f),
  ];
}

/** The pub/sub prototype against the push, then GET; and what the re-read is of redcache's own follower p50. */
export function wakeExperimentTable(f: Record<string, PeerStampedeFigures>): PeerTable {
  const rc = f.redcache?.wake;
  const reRead =
    rc?.waitEndToValue === undefined
      ? []
      : [
          [
            "redcache: its re-read (wait's end to value) ÷ its follower p50 in other processes",
            `${milliseconds(rc.waitEndToValue.p50Ms)} ÷ ${milliseconds(rc.otherProcesses.p50Ms)} = ${((rc.waitEndToValue.p50Ms / rc.otherProcesses.p50Ms) * 100).toFixed(1)} %`,
          ],
        ];
  return {
    title: 'Wake without the re-read (issue 12 prototype, raw node-redis, in the stampede above)',
    rows: [
      ['', 'value'],
      [`${RAW_PUSH}, follower p50 in other processes`, milliseconds(f[RAW_PUSH]!.wake.otherProcesses.p50Ms)],
      [
        `${RAW_PUBSUB}, follower p50 in other processes`,
        milliseconds(f[RAW_PUBSUB]!.wake.otherProcesses.p50Ms),
      ],
      ['taken off the p50 by pub/sub (keep at ≥ 25 %)', `${(pubSubGain(f) * 100).toFixed(1)} %`],
      [
        "the same, round by round (median of the rounds' gains)",
        `${(pairedPubSubGain(f) * 100).toFixed(1)} %`,
      ],
      ...reRead,
    ],
  };
}
