import { peerKeys } from '../peers/peer.js';
import { median } from '../stats.js';
import type { PeerBenchContext } from './context.js';
import { closeAll, openAllPeers } from './open-all.js';

export const BURST_KEYS = 1_000;

/** Per peer: keys/s of each round, and their median. */
export type ColdBurstFigures = Record<string, { readonly rounds: number[]; readonly median: number }>;

/**
 * `BURST_KEYS` distinct cold keys requested at once (Promise.all of gets, a loader that
 * returns at once); keys/s from the first call to the last value. Rounds interleaved.
 */
export async function measureColdBurst(context: PeerBenchContext): Promise<ColdBurstFigures> {
  context.progress(`peers · ${BURST_KEYS} concurrent cold keys`);
  const peers = await openAllPeers(context.url, context.prefix, true);
  const perPeer = peers.map(() => [] as number[]);
  const load = async () => 'burst-value';
  try {
    // Round 0 is the warm-up.
    for (let round = 0; round <= context.rounds; round++) {
      for (const [index, peer] of peers.entries()) {
        const keys = peerKeys(
          peer,
          Array.from({ length: BURST_KEYS }, (_, i) => `burst:${round}:${i}`),
        );
        const started = performance.now();
        await Promise.all(keys.map((key) => peer.get(key, load)));
        if (round > 0) perPeer[index]!.push((BURST_KEYS * 1000) / (performance.now() - started));
      }
    }
    return Object.fromEntries(
      peers.map((peer, i) => [peer.name, { rounds: perPeer[i]!, median: median(perPeer[i]!) }]),
    );
  } finally {
    await closeAll(peers);
  }
}
