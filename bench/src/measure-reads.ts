import { connect } from '@redcache/node-redis';
import type { BenchOptions } from './bench-options.js';
import { coldMissContender } from './cold-miss-contender.js';
import { type ReadFigures, TARGETS } from './figures.js';
import { getMultiContender, MULTI_KEYS } from './get-multi-contender.js';
import { hitContenders } from './hit-contenders.js';
import { roundTripContender } from './round-trip-contender.js';
import { runRounds } from './rounds.js';

export interface ReadBenchContext {
  readonly url: string;
  readonly prefix: string;
  /** An uncached GET through a plain client: the round-trip yardstick. */
  readonly plainGet: (key: string) => Promise<unknown>;
  /** Every key the run writes is pushed here, for cleanup. */
  readonly written: string[];
  readonly progress: (message: string) => void;
}

/** Hits (redcache, node-redis CSC, Map), getMulti hits and cold misses, in this process. */
export async function measureReads(context: ReadBenchContext, options: BenchOptions): Promise<ReadFigures> {
  const { prefix, written, progress } = context;
  const conn = await connect({ url: context.url });
  try {
    progress('hits: redcache near cache, node-redis CSC, Map');
    const hit = await hitContenders(context.url, conn, prefix);
    written.push(`${prefix}hit`);
    const [redcache, nodeRedisCsc, map] = await runRounds(hit.contenders, options.rounds, options.measure);
    const cscCounters = hit.cscStats();
    await hit.close();

    progress('getMulti hits');
    const multi = await getMultiContender(conn, prefix);
    written.push(...multi.keys);
    const [getMulti] = await runRounds([multi.contender], options.rounds, options.measure);

    progress('cold misses, and a plain round trip for scale');
    const cold = coldMissContender(conn, prefix);
    const roundTrip = roundTripContender(context.plainGet, prefix);
    const [coldMiss, plainGet] = await runRounds(
      [cold.contender, roundTrip],
      options.rounds,
      options.measure,
    );
    written.push(...cold.usedKeys());

    const redcacheOverCsc = redcache!.median / nodeRedisCsc!.median;
    const mapOverRedcache = map!.median / redcache!.median;
    return {
      hits: {
        redcache: redcache!,
        nodeRedisCsc: nodeRedisCsc!,
        map: map!,
        cscCounters,
        redcacheOverCsc,
        mapOverRedcache,
        redcacheOverCscPass: redcacheOverCsc >= TARGETS.redcacheOverCsc,
        mapOverRedcachePass: mapOverRedcache <= TARGETS.mapOverRedcache,
      },
      getMulti: { ...getMulti!, keysPerCall: MULTI_KEYS, keysPerSecond: getMulti!.median * MULTI_KEYS },
      coldMiss: { ...coldMiss!, microsecondsPerMiss: 1e6 / coldMiss!.median },
      roundTrip: { ...plainGet!, microsecondsPerCall: 1e6 / plainGet!.median },
    };
  } finally {
    await conn.close();
  }
}
