import { loadavg } from 'node:os';
import { addHealth, type HealthSnapshot, REDCACHE_HEALTH } from '../peers/redcache-health.js';
import { type ColdBurstFigures, measureColdBurst } from './cold-burst.js';
import { type ColdMissFigures, measureColdMiss } from './cold-miss.js';
import type { PeerBenchContext } from './context.js';
import { measurePeerGetMulti, type PeerGetMultiFigures } from './get-multi.js';
import { type HitFigures, measureHits } from './hits.js';
import { type MemoryFigures, measureMemory } from './memory.js';
import { measurePeerStampede, type PeerStampedeFigures } from './stampede.js';
import { measureVisibility, type VisibilityFigures } from './visibility.js';

export interface PeerFigures {
  /** 1-, 5- and 15-minute load averages before the first peer workload and after the last. */
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly hits: HitFigures;
  readonly coldMiss: ColdMissFigures;
  readonly coldBurst: ColdBurstFigures;
  readonly getMulti: PeerGetMultiFigures;
  readonly memory: MemoryFigures;
  readonly visibility: VisibilityFigures;
  readonly stampede: Record<string, PeerStampedeFigures>;
  /** redcache's breaker, timeouts and flushes over the run, this process and the stampede workers. */
  readonly redcacheHealth: HealthSnapshot;
}

/** Every peer workload, in the order of priority; each interleaves its contenders. */
export async function measurePeers(context: PeerBenchContext): Promise<PeerFigures> {
  const loadBefore = loadavg();
  const hits = await measureHits(context);
  const coldMiss = await measureColdMiss(context);
  const coldBurst = await measureColdBurst(context);
  const getMulti = await measurePeerGetMulti(context);
  const memory = await measureMemory(context);
  const visibility = await measureVisibility(context);
  const stampede = await measurePeerStampede(context);
  return {
    loadBefore,
    loadAfter: loadavg(),
    hits,
    coldMiss,
    coldBurst,
    getMulti,
    memory,
    visibility,
    stampede,
    redcacheHealth: addHealth(REDCACHE_HEALTH.snapshot(), stampede.redcache!.health),
  };
}
