import { forkChild, wallClockMs } from '@redcache/fleet';
import { REDCACHE_NAME } from '../peers/redcache.js';
import type { PeerBenchContext } from './context.js';
import type { PeerStampedeChannel, PeerStampedeResult, StampedeContender } from './stampede-protocol.js';
import { type PeerStampedeFigures, summarizeStampede } from './stampede-summary.js';

export const PEER_STAMPEDE = { processes: 4, callers: 100, keys: 20, loaderMs: 100, minRounds: 7 } as const;
/**
 * The contenders: redcache on node-redis and on ioredis (one load per key across processes), the peers without a
 * cross-process lock, and the raw wake protocol on node-redis in its two modes (the floor
 * of target 6, and the pub/sub prototype of issue 12).
 */
export const STAMPEDE_CONTENDERS: readonly StampedeContender[] = [
  'redcache',
  'redcache-ioredis',
  'cache-manager',
  'bentocache',
  'raw-push',
  'raw-pubsub',
];
/** Names in the report. */
export const RAW_PUSH = 'raw: push, then GET';
export const RAW_PUBSUB = 'raw: value published (pub/sub)';
const LABEL: Record<StampedeContender, string> = {
  redcache: REDCACHE_NAME['node-redis'],
  'redcache-ioredis': REDCACHE_NAME.ioredis,
  'cache-manager': 'cache-manager',
  bentocache: 'bentocache',
  'node-redis-csc': 'node-redis CSC',
  'raw-push': RAW_PUSH,
  'raw-pubsub': RAW_PUBSUB,
};
const START_DELAY_MS = 150;
const workerModule = new URL('./stampede-worker.ts', import.meta.url);

export type { PeerStampedeFigures } from './stampede-summary.js';

/**
 * `processes` workers × `callers` concurrent gets over `keys` cold keys, at one instant, a
 * loader that sleeps `loaderMs`; contenders interleaved (the order turning each round), fresh keys per contender and round,
 * after one untimed warm-up round each (the first calls' compilation, connections' first use).
 */
export async function measurePeerStampede(
  context: PeerBenchContext,
  contenders: readonly StampedeContender[] = STAMPEDE_CONTENDERS,
): Promise<Record<string, PeerStampedeFigures>> {
  const plan = PEER_STAMPEDE;
  const rounds = Math.max(plan.minRounds, context.rounds);
  context.progress(
    `peers · stampede: ${plan.processes} processes × ${plan.callers} callers × ${plan.keys} keys, ${rounds} rounds`,
  );
  const workers = await Promise.all(
    Array.from({ length: plan.processes }, () =>
      forkChild<PeerStampedeChannel>(workerModule, [context.url, context.prefix], {
        name: 'peer stampede worker',
      }),
    ),
  );
  const results = new Map(contenders.map((c) => [c, [] as PeerStampedeResult[][]]));
  const startAts = new Map(contenders.map((c) => [c, [] as number[]]));
  try {
    for (let round = -1; round < rounds; round++) {
      // The order turns each round, so no contender always follows the same one.
      const turn = (round + 1) % contenders.length;
      for (const peer of [...contenders.slice(turn), ...contenders.slice(0, turn)]) {
        const startAt = wallClockMs() + START_DELAY_MS;
        const request = {
          peer,
          names: Array.from({ length: plan.keys }, (_, i) => `stampede:${round}:${i}`),
          callers: plan.callers,
          loaderMs: plan.loaderMs,
          startAt,
        };
        const processes = await Promise.all(workers.map((worker) => worker.request(request)));
        if (round < 0) continue;
        results.get(peer)!.push(processes);
        startAts.get(peer)!.push(startAt);
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
  return Object.fromEntries(
    contenders.map((c) => [LABEL[c], summarizeStampede(results.get(c)!, startAts.get(c)!, plan.callers)]),
  );
}
