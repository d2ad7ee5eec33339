import { PRIMED_VALUE } from '../bench-keys.js';
import { lruCacheFloor, mapFloor } from '../peers/floors.js';
import { FLOOR_KEYS, type LocalFloor, type PeerCache, peerKeys } from '../peers/peer.js';
import { type Contender, type RoundsResult, runRounds } from '../rounds.js';
import { neverLoads, type PeerBenchContext } from './context.js';
import { closeAll, openAllPeers } from './open-all.js';
import { zipfSequence } from './zipf.js';

export const ZIPF_KEYS = 10_000;
export const ZIPF_S = 0.99;
/** Length of the drawn key sequence, cycled through. */
const SEQUENCE = 1 << 16;

export interface HitFigures {
  readonly oneKey: RoundsResult[];
  readonly zipf: RoundsResult[];
}

/** Calls of one contender walk `keys` in `order` (one key: always the same). */
function walker(keys: readonly string[], order: Uint32Array): () => string {
  let next = 0;
  return () => keys[order[next++ & (SEQUENCE - 1)]!]!;
}

/** Each contender walks its own keys (built once from `names`) in `order`. */
function contenders(
  peers: readonly PeerCache[],
  floors: readonly LocalFloor[],
  names: readonly string[],
  order: Uint32Array,
): Contender[] {
  const floorKeys = peerKeys(FLOOR_KEYS, names);
  return [
    ...peers.map((peer) => {
      const key = walker(peerKeys(peer, names), order);
      return { name: peer.name, operation: () => peer.get(key(), neverLoads) };
    }),
    ...floors.map((floor) => {
      const key = walker(floorKeys, order);
      return { name: floor.name, operation: () => floor.get(key()) };
    }),
  ];
}

/** Primes `names` in every peer and floor (through the peer's own get, so its near tier holds them). */
async function prime(peers: readonly PeerCache[], floors: readonly LocalFloor[], names: readonly string[]) {
  for (const floor of floors) for (const key of peerKeys(FLOOR_KEYS, names)) floor.set(key, PRIMED_VALUE);
  const chunk = 500;
  for (const peer of peers) {
    const keys = peerKeys(peer, names);
    for (let start = 0; start < keys.length; start += chunk) {
      await Promise.all(
        keys.slice(start, start + chunk).map((key) => peer.get(key, async () => PRIMED_VALUE)),
      );
    }
  }
}

/** Hits: one primed key, then 10k primed keys read in a Zipf(0.99) order; every peer and floor interleaved. */
export async function measureHits(context: PeerBenchContext): Promise<HitFigures> {
  const peers = await openAllPeers(context.url, context.prefix);
  const floors = [lruCacheFloor(), mapFloor()];
  try {
    context.progress('peers · hits, one key');
    const one = ['hit'];
    await prime(peers, floors, one);
    const oneKey = await runRounds(
      contenders(peers, floors, one, new Uint32Array(SEQUENCE)),
      context.rounds,
      context.measure,
    );
    context.progress(`peers · hits, ${ZIPF_KEYS} keys zipf ${ZIPF_S}`);
    const keys = Array.from({ length: ZIPF_KEYS }, (_, i) => `zipf:${i}`);
    await prime(peers, floors, keys);
    const order = zipfSequence(ZIPF_KEYS, ZIPF_S, SEQUENCE);
    const zipf = await runRounds(contenders(peers, floors, keys, order), context.rounds, context.measure);
    return { oneKey, zipf };
  } finally {
    await closeAll(peers);
  }
}
