import type { LatencySummary } from '../latency-summary.js';
import { type PeerCache, peerKeys } from '../peers/peer.js';
import type { PeerBenchContext } from './context.js';
import { type LatencyContender, runLatencyRounds } from './latency-rounds.js';
import { closeAll, openAllPeers } from './open-all.js';

export const LOADER_MS = 1;
const PER_ROUND = 150;
const WARMUP = 20;

/** Per peer: time of a cold-miss get beyond its loader's own time, ms. */
export type ColdMissFigures = Record<string, LatencySummary>;

/**
 * One cold key per call, sequential; the loader sleeps `LOADER_MS`. The sample is the call's
 * time minus the loader's own (measured inside it): what the cache adds to a miss.
 */
function coldContender(peer: PeerCache, samples: number): LatencyContender {
  const keys = peerKeys(
    peer,
    Array.from({ length: samples }, (_, i) => `cold:${i}`),
  );
  let next = 0;
  return {
    name: peer.name,
    async sample() {
      let loaderMs = 0;
      const load = async () => {
        const started = performance.now();
        await new Promise((resolve) => setTimeout(resolve, LOADER_MS));
        loaderMs = performance.now() - started;
        return 'cold-value';
      };
      const started = performance.now();
      await peer.get(keys[next++]!, load);
      return performance.now() - started - loaderMs;
    },
  };
}

/** Cold miss beyond a 1 ms loader, p50/p99: every peer and the raw 2-RTT protocol, interleaved. */
export async function measureColdMiss(context: PeerBenchContext): Promise<ColdMissFigures> {
  context.progress(`peers · cold miss beyond a ${LOADER_MS} ms loader`);
  const peers = await openAllPeers(context.url, context.prefix, true);
  try {
    return Object.fromEntries(
      await runLatencyRounds(
        peers.map((peer) => coldContender(peer, WARMUP + context.rounds * PER_ROUND)),
        context.rounds,
        PER_ROUND,
        WARMUP,
      ),
    );
  } finally {
    await closeAll(peers);
  }
}
