import type { RoundsResult } from './rounds.js';
import type { StampedeFigures } from './stampede.js';

/** Targets the hit ratios are held to (printed as PASS or MISS; a miss never fails the run). */
export const TARGETS = { redcacheOverCsc: 10, mapOverRedcache: 3 } as const;

/** When, where and how long the run measured. */
export interface BenchRunInfo {
  readonly startedAt: string;
  readonly node: string;
  readonly redisVersion: string;
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

/** Everything measured in the bench's own process (all but the stampede). */
export interface ReadFigures {
  readonly hits: {
    readonly redcache: RoundsResult;
    readonly nodeRedisCsc: RoundsResult;
    readonly map: RoundsResult;
    /** node-redis' own cache counters over the CSC rounds: proof that they were hits. */
    readonly cscCounters: { readonly hits: number; readonly misses: number };
    readonly redcacheOverCsc: number;
    readonly mapOverRedcache: number;
    readonly redcacheOverCscPass: boolean;
    readonly mapOverRedcachePass: boolean;
  };
  readonly getMulti: RoundsResult & { readonly keysPerCall: number; readonly keysPerSecond: number };
  readonly coldMiss: RoundsResult & { readonly microsecondsPerMiss: number };
  /** A plain uncached GET: one round trip, the yardstick for a miss. */
  readonly roundTrip: RoundsResult & { readonly microsecondsPerCall: number };
}

/** The write path, sequential calls, and hits that find a refresh due every time. */
export interface WriteFigures {
  readonly writes: RoundsResult[];
  /** Keys per multi-key write. */
  readonly batch: number;
  readonly refreshHits: RoundsResult;
}

export interface BenchFigures extends BenchRunInfo, ReadFigures, WriteFigures {
  readonly stampede: StampedeFigures;
}
