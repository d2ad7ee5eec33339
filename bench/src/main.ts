/**
 * `pnpm bench`: redcache against a real Redis (REDIS_URL, else a throwaway redis-server,
 * see @redcache/redis-harness). Prints a report and writes bench/results/latest.json, and
 * the Peers section of docs/benchmarks.md with its plot (docs/benchmarks-peers.svg).
 * Figures only: a missed target is reported, never a failed exit.
 */
import { getRedis } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { runPrefix } from './bench-keys.js';
import { benchOptions } from './bench-options.js';
import { cleanupKeys, unlinkRun } from './cleanup-keys.js';
import type { BenchFigures } from './figures.js';
import { measureGetMultiStall, type StallFigures, stallReport } from './get-multi-stall.js';
import { measureReads } from './measure-reads.js';
import { measureWrites } from './measure-writes.js';
import { measureOutage, type OutageFigures } from './outage/measure-outage.js';
import { outageReport } from './outage/outage-report.js';
import type { PeerFigures } from './peer-workloads/measure-peers.js';
import { runPeers } from './peer-workloads/run-peers.js';
import { report } from './report.js';
import { runStampede } from './stampede.js';
import { writeResults } from './write-results.js';

const options = benchOptions(process.argv.slice(2));
const progress = (message: string) => process.stderr.write(`… ${message}\n`);

const startedAt = new Date().toISOString();
const redis = await getRedis();
const prefix = runPrefix();
const admin = createClient({ url: redis.url });
await admin.connect();
const written: string[] = [];
try {
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  const reads = await measureReads(
    { url: redis.url, prefix, plainGet: (key) => admin.get(key), written, progress },
    options,
  );

  const writes = await measureWrites(
    {
      url: redis.url,
      prefix,
      plainGet: (key) => admin.get(key),
      plainSet: (key, value) => admin.set(key, value, { PX: 60_000 }),
      written,
      progress,
    },
    options,
  );

  progress(`stampede: ${options.stampede.processes} processes`);
  const stampede = await runStampede(redis.url, prefix, options.stampede);
  written.push(...stampede.keys);

  progress('server stall: a cold getMulti of 10,000 keys, PINGs from another process meanwhile');
  const getMultiStall = await measureGetMultiStall({ url: redis.url, prefix, written });

  // The peers, side by side with redcache: prints its own report, writes docs/benchmarks.md's Peers section.
  const peers = await runPeers(redis.url, prefix, options, { startedAt, redisVersion, progress });

  const outage = await measureOutage(progress); // each entry on a redis-server of its own, killed

  const figures: BenchFigures & { getMultiStall: StallFigures; peers: PeerFigures; outage: OutageFigures } = {
    startedAt,
    node: process.version,
    redisVersion,
    rounds: options.rounds,
    roundMs: options.measure.roundMs,
    warmupMs: options.measure.warmupMs,
    ...reads,
    ...writes,
    stampede: stampede.figures,
    getMultiStall,
    peers,
    outage,
  };
  console.log(report(figures));
  console.log(`\n${stallReport(getMultiStall)}`);
  console.log(`\n${outageReport(outage)}`);
  console.log(`\nFigures written to ${await writeResults(figures)}`);
} finally {
  await cleanupKeys((keys) => admin.unlink(keys), written);
  await unlinkRun(admin, prefix);
  await admin.close();
  await redis.stop();
}
