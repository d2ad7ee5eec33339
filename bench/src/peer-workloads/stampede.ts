import { forkChild, wallClockMs } from '@redcache/fleet';
import { type LatencySummary, summarizeLatencies } from '../latency-summary.js';
import type { RedisPeerName } from '../peers/open-peer.js';
import { median } from '../stats.js';
import type { PeerBenchContext } from './context.js';
import type { PeerStampedeChannel, PeerStampedeResult } from './stampede-protocol.js';

export const PEER_STAMPEDE = { processes: 4, callers: 100, keys: 20, loaderMs: 100 } as const;
/** The peers in the stampede: redcache (one load per key across processes), and those without a cross-process lock. */
export const STAMPEDE_PEERS: readonly RedisPeerName[] = ['redcache', 'cache-manager', 'bentocache'];
const START_DELAY_MS = 150;
const workerModule = new URL('./stampede-worker.ts', import.meta.url);

export interface PeerStampedeFigures {
  /** Loader calls per round, across all processes (keys per round: one each at best). */
  readonly loaderCalls: number[];
  /** Most loader calls any one key had, over the rounds. */
  readonly maxCallsPerKey: number;
  /** From the agreed instant to the last caller's value, per round, ms; and the median. */
  readonly wallMs: number[];
  readonly wallMedianMs: number;
  /** Every caller's latency from the agreed instant, all rounds. */
  readonly latency: LatencySummary;
  readonly errors: string[];
}

/**
 * `processes` workers × `callers` concurrent gets over `keys` cold keys, at one instant, a
 * loader that sleeps `loaderMs`; peers interleaved, one fresh key set per peer and round.
 */
export async function measurePeerStampede(
  context: PeerBenchContext,
): Promise<Record<string, PeerStampedeFigures>> {
  const plan = PEER_STAMPEDE;
  context.progress(
    `peers · stampede: ${plan.processes} processes × ${plan.callers} callers × ${plan.keys} keys`,
  );
  const workers = await Promise.all(
    Array.from({ length: plan.processes }, () =>
      forkChild<PeerStampedeChannel>(workerModule, [context.url, context.prefix], {
        name: 'peer stampede worker',
      }),
    ),
  );
  const results = new Map(STAMPEDE_PEERS.map((peer) => [peer, [] as PeerStampedeResult[][]]));
  try {
    for (let round = 0; round < context.rounds; round++) {
      for (const peer of STAMPEDE_PEERS) {
        const keys = Array.from({ length: plan.keys }, (_, i) => `stampede:${round}:${i}`);
        const request = {
          peer,
          keys,
          callers: plan.callers,
          loaderMs: plan.loaderMs,
          startAt: wallClockMs() + START_DELAY_MS,
        };
        results.get(peer)!.push(await Promise.all(workers.map((worker) => worker.request(request))));
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
  return Object.fromEntries(STAMPEDE_PEERS.map((peer) => [peer, summarize(results.get(peer)!)]));
}

function summarize(rounds: readonly PeerStampedeResult[][]): PeerStampedeFigures {
  const loaderCalls: number[] = [];
  const wallMs: number[] = [];
  const latencies: number[] = [];
  const errors: string[] = [];
  let maxCallsPerKey = 0;
  for (const processes of rounds) {
    const perKey = processes[0]!.loaderCalls.map((_, k) =>
      processes.reduce((sum, p) => sum + p.loaderCalls[k]!, 0),
    );
    maxCallsPerKey = Math.max(maxCallsPerKey, ...perKey);
    loaderCalls.push(perKey.reduce((a, b) => a + b, 0));
    const roundLatencies = processes.flatMap((p) => p.latenciesMs);
    wallMs.push(Math.max(...roundLatencies));
    latencies.push(...roundLatencies);
    errors.push(...processes.flatMap((p) => p.errors));
  }
  return {
    loaderCalls,
    maxCallsPerKey,
    wallMs,
    wallMedianMs: median(wallMs),
    latency: summarizeLatencies(latencies),
    errors,
  };
}
