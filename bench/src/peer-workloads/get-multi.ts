import { PRIMED_VALUE } from '../bench-keys.js';
import type { LatencySummary } from '../latency-summary.js';
import { FLOOR_KEYS, type PeerCache, peerKeys } from '../peers/peer.js';
import { type RoundsResult, runRounds } from '../rounds.js';
import { neverLoads, type PeerBenchContext } from './context.js';
import { runLatencyRounds } from './latency-rounds.js';
import { closeAll, openAllPeers } from './open-all.js';

export const MULTI_KEYS = 100;
const COLD_PER_ROUND = 20;
const COLD_WARMUP = 5;

export interface PeerGetMultiFigures {
  /** Per peer: latency of one call over `MULTI_KEYS` cold keys (trivial loader). */
  readonly cold: Record<string, LatencySummary>;
  /** Calls/s over `MULTI_KEYS` primed keys, the peers and an awaited loop of `Map.get`. */
  readonly warm: RoundsResult[];
  /** Per peer: how it fetched many keys. */
  readonly how: Record<string, string>;
}

const keyRange = (tag: string) => Array.from({ length: MULTI_KEYS }, (_, i) => `${tag}:${i}`);

/**
 * The same loop building what `getMulti` returns, a `Map` of key to value: not a target's
 * yardstick, the cost of the result's shape alone, for context beside the floor.
 */
function mapLoopIntoMap(keys: readonly string[]) {
  const map = new Map(keys.map((key) => [key, PRIMED_VALUE]));
  const loop = async () => {
    const out = new Map<string, unknown>();
    for (const key of keys) out.set(key, map.get(key));
    return out;
  };
  return { name: `Map loop into a Map (${MULTI_KEYS} keys, awaited)`, operation: loop };
}

/** A Map loop over the same keys behind one awaited call: the floor of a warm getMulti (target 3; last). */
function mapLoop(keys: readonly string[]) {
  const map = new Map(keys.map((key) => [key, PRIMED_VALUE]));
  const loop = async () => {
    const out: unknown[] = [];
    for (const key of keys) out.push(map.get(key));
    return out;
  };
  return { name: `Map loop (${MULTI_KEYS} keys, awaited)`, operation: loop };
}

function coldContender(peer: PeerCache, calls: number) {
  const batches = Array.from({ length: calls }, (_, i) => peerKeys(peer, keyRange(`mcold:${i}`)));
  let next = 0;
  const load = async () => 'multi-cold';
  return {
    name: peer.name,
    async sample() {
      const keys = batches[next++]!;
      const started = performance.now();
      await peer.getMany(keys, load);
      return performance.now() - started;
    },
  };
}

/** getMulti of 100 cold keys (p50/p99), then of 100 warm keys (calls/s) against a Map loop. */
export async function measurePeerGetMulti(context: PeerBenchContext): Promise<PeerGetMultiFigures> {
  const peers = await openAllPeers(context.url, context.prefix);
  try {
    context.progress(`peers · getMulti of ${MULTI_KEYS} cold keys`);
    const cold = Object.fromEntries(
      await runLatencyRounds(
        peers.map((peer) => coldContender(peer, COLD_WARMUP + context.rounds * COLD_PER_ROUND)),
        context.rounds,
        COLD_PER_ROUND,
        COLD_WARMUP,
      ),
    );
    context.progress(`peers · getMulti of ${MULTI_KEYS} warm keys`);
    const warmKeys = peers.map((peer) => peerKeys(peer, keyRange('mwarm')));
    for (const [i, peer] of peers.entries()) await peer.getMany(warmKeys[i]!, async () => PRIMED_VALUE);
    const warm = await runRounds(
      [
        ...peers.map((peer, i) => ({
          name: peer.name,
          operation: () => peer.getMany(warmKeys[i]!, neverLoads),
        })),
        mapLoopIntoMap(peerKeys(FLOOR_KEYS, keyRange('mwarm'))),
        mapLoop(peerKeys(FLOOR_KEYS, keyRange('mwarm'))),
      ],
      context.rounds,
      { ...context.measure, batch: 16 },
    );
    return { cold, warm, how: Object.fromEntries(peers.map((peer) => [peer.name, peer.manyHow])) };
  } finally {
    await closeAll(peers);
  }
}
