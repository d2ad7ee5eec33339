import type { LatencySummary } from '../latency-summary.js';
import { openPeer, type RedisPeerName } from '../peers/open-peer.js';
import type { PeerCache } from '../peers/peer.js';
import { neverLoads, type PeerBenchContext } from './context.js';
import { type LatencyContender, runLatencyRounds } from './latency-rounds.js';

/** The peers that tell other instances about a write (cache-manager's memory tier is never told). */
export const VISIBILITY_PEERS: readonly RedisPeerName[] = [
  'redcache',
  'redcache-ioredis',
  'bentocache',
  'node-redis-csc',
];
const PER_ROUND = 100;
/** A write not seen after this long counts as this long (and is counted). */
const GIVE_UP_MS = 2_000;

export type VisibilityFigures = Record<string, LatencySummary & { readonly unseen: number }>;

/**
 * Instance A writes a new value of a key that instance B holds in its near tier; B reads in
 * a loop (one read per event-loop turn) until it returns the new value. The sample: from A's
 * write call to B's first read of the new value. A and B are two instances (two connections)
 * in this process.
 */
function visibilityContender(a: PeerCache, b: PeerCache, unseen: { count: number }): LatencyContender {
  let version = 0;
  const key = a.key('visible');
  return {
    name: a.name,
    async sample() {
      const value = `v${++version}`;
      const started = performance.now();
      await a.set(key, value);
      for (;;) {
        const elapsed = performance.now() - started;
        if ((await b.get(key, neverLoads)) === value) return performance.now() - started;
        if (elapsed > GIVE_UP_MS) {
          unseen.count++;
          return GIVE_UP_MS;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** Write in A, visible in B, p50/p99: redcache, bentocache's bus, node-redis CSC; interleaved. */
export async function measureVisibility(context: PeerBenchContext): Promise<VisibilityFigures> {
  context.progress('peers · write in A, visible in B');
  const pairs: [PeerCache, PeerCache][] = [];
  const unseen = VISIBILITY_PEERS.map(() => ({ count: 0 }));
  try {
    for (const name of VISIBILITY_PEERS) {
      const a = await openPeer(name, context.url, context.prefix);
      const b = await openPeer(name, context.url, context.prefix).catch(async (error) => {
        await a.close();
        throw error;
      });
      pairs.push([a, b]);
      await a.set(a.key('visible'), 'v0');
      await b.get(b.key('visible'), async () => 'v0');
    }
    const summaries = await runLatencyRounds(
      pairs.map(([a, b], i) => visibilityContender(a, b, unseen[i]!)),
      context.rounds,
      PER_ROUND,
      10,
    );
    return Object.fromEntries(
      pairs.map(([a], i) => [a.name, { ...summaries.get(a.name)!, unseen: unseen[i]!.count }]),
    );
  } finally {
    for (const [a, b] of pairs) {
      await a.close();
      await b.close();
    }
  }
}
