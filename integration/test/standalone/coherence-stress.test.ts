/**
 * Issue 15, acceptance 3: the coherence stress test, for `@redcache/ioredis` and
 * `@redcache/node-redis` alike.
 *
 * On a Redis of its own, 4 worker processes (coherence-worker.ts), each with one Conn through
 * the driver under test and its near cache on, run random `get`s (with a loader) and writes
 * (`set`, `forceSet`, `del`) over 20 keys for `COHERENCE_MS` (default 30 s), while a raw client
 * in this process (no tracking) `SET`s and `DEL`s the same keys.
 *
 * **Orderable values.** Every write, by anyone (a worker's `set`/`forceSet`/`del`, the fill a
 * `get`'s loader makes of an empty key, the raw writer's `SET`/`DEL`), holds the key's writer
 * mutex (coherence-key-mutex.ts) from the `INCR` of the run's version counter to the answer of
 * its write, and stores `<version>:<writer>:<counter>`. So per key the versions land in Redis in
 * increasing order, and every value is written once: once version `v` of a key has been in
 * Redis, no version below `v` is ever there again. (Taking the version before an unguarded
 * write would not do: two writers may land in the other order than they counted.) A `del`
 * takes a version too; it stands for the empty key it leaves. What the mutex costs: no write
 * lands while a loader holds it, i.e. between the version its loader took and its
 * compare-and-set, so a lock stolen in that window is not exercised here (locks stolen before
 * the loader's version are: `set`s refused with `LockLostError`, fills that read again).
 *
 * **What a process has "already seen replaced".** A process learns version `v` of key `k` at
 * the moment one of its own calls that involved `v` is answered:
 * - a `get` of `k` returned `v` (from the near cache or from Redis);
 * - its own `set` or `forceSet` of `v`, or its own `del` that took `v`, was answered;
 * - a `GET k` that it sent past the near cache, on the Conn's own connection (`driver.send`, so
 *   tracked and, for ioredis, fenced), returned `v`.
 * From that moment it has seen every version below `v` replaced. Each of those answers came
 * over the Conn's connection after the write of `v` (or of a later version) had run in Redis,
 * so by the driver's guarantee (every invalidation queued before a command ran is delivered
 * before its reply resolves: docs/ioredis.md, N2 and N3) the invalidations that replaced the
 * older versions were delivered by then. A near-cache hit counts too: its entry was read over
 * the connection after `v` was written, and nothing older can be stored after it.
 *
 * **A violation** is a `get` of `k` that *began* after the process had learned `v` (the
 * ledger's floor is taken just before the call) and returned a version below `v` — whether the
 * near cache answered it or a read or load of the key already in flight in the process, which
 * it joined (it is judged by the moment it was called, not the flight's). A `get`
 * that began earlier may return an older version (it may have read Redis before the write),
 * and so may any `get` of a process that never learned of the newer version, however long ago
 * it landed in Redis: its invalidation may still be on its way (a value the process never
 * learned was replaced is not a violation). Nothing learned by another process, or by this
 * test's raw client, counts: only what came over the process's own connection. Every `get` is
 * checked (the random ones, and every 250 ms the sampler's: a direct `GET` of each key, then a
 * `get` of it, which must not be older than Redis just said).
 *
 * **After quiescence** (every writer stopped and its last write answered): every worker `get`s
 * every key (loading those a `del` left empty, under the mutex as ever); once all have, no one
 * writes any more, and every worker sends a `GET` of each key past the near cache on its own
 * connection — after which every invalidation sent to it has been delivered — and then `get`s
 * it: it must be exactly what Redis holds (a raw `GET`). The order of events is the wait; no
 * sleep is.
 *
 * Two control runs show that the check catches a near cache that is not kept coherent: one over
 * a driver that drops every invalidation, one over a driver that delivers each 20 ms late (a
 * reply may then resolve before the invalidations its command's run had queued, the ordering
 * the ioredis driver's fence is for: docs/ioredis.md).
 */
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StressDriverName } from '../../src/coherence-conn.js';
import { type CoherenceControl, LATE_BY_MS } from '../../src/coherence-controls.js';
import { type CoherenceWorker, spawnCoherenceWorker } from '../../src/coherence-fleet.js';
import { KeyMutex } from '../../src/coherence-key-mutex.js';
import { type CoherenceWorkerConfig, type RunReport, stressKeys } from '../../src/coherence-protocol.js';
import { RawWriter, type RawWriterReport } from '../../src/coherence-raw-writer.js';
import { DEFAULT_LOCK_PREFIX, payloadOfStored } from '../../src/coherence-value.js';
import { keyPrefix } from '../../src/open-conn.js';

const DURATION_MS = Number(process.env.COHERENCE_MS ?? 30_000);
/** The control needs only a few samples to be caught. */
const CONTROL_MS = 3_000;
const WORKERS = 4;
const KEYS = 20;
/** Setup, quiescence and closing, on top of the run: far more than they take. */
const MARGIN_MS = 90_000;

type RawClient = ReturnType<typeof createClient>;

let server: RedisServer;
let raw: RawClient;

beforeAll(async () => {
  server = await startRedisServer();
  raw = createClient({ url: server.url });
  raw.on('error', () => {});
  await raw.connect();
});

afterAll(async () => {
  await raw?.close();
  await server?.stop();
});

/** What Redis holds for each key, as the payload text (an empty key as null). */
async function redisValues(keys: readonly string[]): Promise<Record<string, string | null>> {
  const values: Record<string, string | null> = {};
  for (const key of keys) values[key] = payloadOfStored(await raw.get(key), DEFAULT_LOCK_PREFIX);
  return values;
}

interface StressResult {
  readonly reports: RunReport[];
  readonly rawWriter: RawWriterReport;
  readonly redis: Record<string, string | null>;
  /** Per worker, what its settled `get`s returned. */
  readonly settled: Array<Record<string, string>>;
  /** Per worker, its violations by the end (run, fill and settled reads). */
  readonly finalViolations: number[];
  /** Whether Redis changed while the workers read it settled (it must not). */
  readonly changedWhileSettled: boolean;
}

async function stress(
  driver: StressDriverName,
  durationMs: number,
  control?: CoherenceControl,
): Promise<StressResult> {
  const prefix = keyPrefix(`coherence-${driver}${control === undefined ? '' : `-${control}`}`);
  const keys = stressKeys(prefix, KEYS);
  const base: Omit<CoherenceWorkerConfig, 'writerId'> = {
    url: server.url,
    driver,
    prefix,
    keyCount: KEYS,
    loops: 3,
    writePercent: 20,
    sampleEveryMs: 250,
    ...(control === undefined ? {} : { control }),
  };
  const workers: CoherenceWorker[] = [];
  try {
    for (let index = 0; index < WORKERS; index++) {
      workers.push(await spawnCoherenceWorker({ ...base, writerId: `w${index}` }));
    }
    const writer = new RawWriter(raw, new KeyMutex(raw, prefix, 'raw'), keys, 'raw');
    writer.start();
    const reports = await Promise.all(workers.map((worker) => worker.run(durationMs)));
    const rawWriter = await writer.stop();
    // Quiescence: every writer has stopped, its last write answered. Fill what a del emptied.
    await Promise.all(workers.map((worker) => worker.fill()));
    const redis = await redisValues(keys);
    const settledReads = await Promise.all(workers.map((worker) => worker.settledRead()));
    const changedWhileSettled = JSON.stringify(await redisValues(keys)) !== JSON.stringify(redis);
    return {
      reports,
      rawWriter,
      redis,
      settled: settledReads.map((read) => read.values),
      finalViolations: settledReads.map((read) => read.violationCount),
      changedWhileSettled,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

function sum(reports: readonly RunReport[], count: (report: RunReport) => number): number {
  return reports.reduce((total, report) => total + count(report), 0);
}

function summary(driver: string, durationMs: number, result: StressResult): string {
  const { reports, rawWriter } = result;
  const writes = (report: RunReport) => report.writes.set + report.writes.forceSet + report.writes.del;
  const lines = [
    `coherence stress, ${driver}: ${WORKERS} workers x ${durationMs} ms, ${KEYS} keys`,
    `  reads ${sum(reports, (r) => r.reads)} (near hits ${sum(reports, (r) => r.nearHits)}, sampled ${sum(reports, (r) => r.sampledReads)}), direct GETs ${sum(reports, (r) => r.directGets)}`,
    `  writes ${sum(reports, writes)} (set ${sum(reports, (r) => r.writes.set)}, forceSet ${sum(reports, (r) => r.writes.forceSet)}, del ${sum(reports, (r) => r.writes.del)}; set lock lost ${sum(reports, (r) => r.lockLost)}), loads ${sum(reports, (r) => r.loads)}`,
    `  raw writer: SET ${rawWriter.sets}, DEL ${rawWriter.dels}`,
    `  violations ${sum(reports, (r) => r.violationCount)} during the run, ${result.finalViolations.reduce((a, b) => a + b, 0)} in all; errors ${sum(reports, (r) => r.errorCount) + rawWriter.errors.length}`,
  ];
  for (const report of reports) {
    lines.push(
      `  ${report.writerId} (pid ${report.pid}): reads ${report.reads}, near hits ${report.nearHits}, writes ${writes(report)}, violations ${report.violationCount}`,
    );
  }
  return lines.join('\n');
}

describe('coherence under stress (issue 15, acceptance 3)', () => {
  for (const driver of ['ioredis', 'node-redis'] as const) {
    it(`${driver}: ${WORKERS} processes and a raw writer on ${KEYS} keys: no get serves a version older than its process already saw replaced; after quiescence every process reads what Redis holds`, {
      timeout: DURATION_MS + MARGIN_MS,
    }, async () => {
      const result = await stress(driver, DURATION_MS);
      console.log(summary(driver, DURATION_MS, result));
      const { reports, rawWriter } = result;
      expect({
        workers: reports.flatMap((report) => report.errors),
        rawWriter: rawWriter.errors,
      }).toEqual({ workers: [], rawWriter: [] });
      // Loud: every violation with its key, versions, how and when the newer one was learned.
      expect(
        reports.flatMap((report) => report.violations.map((v) => ({ worker: report.writerId, ...v }))),
      ).toEqual([]);
      expect(result.finalViolations).toEqual(reports.map(() => 0));
      expect(result.changedWhileSettled).toBe(false);
      for (const settled of result.settled) expect(settled).toEqual(result.redis);
      // It was a stress: every kind of operation ran, and both caches and Redis answered reads.
      expect(sum(reports, (r) => r.nearHits)).toBeGreaterThan(0);
      expect(sum(reports, (r) => r.reads - r.nearHits)).toBeGreaterThan(0);
      for (const kind of ['set', 'forceSet', 'del'] as const) {
        expect(sum(reports, (r) => r.writes[kind])).toBeGreaterThan(0);
      }
      expect(sum(reports, (r) => r.loads)).toBeGreaterThan(0);
      expect(rawWriter.sets).toBeGreaterThan(0);
    });
  }

  // Controls: the check catches a near cache that is not kept coherent, grossly or barely.
  const controls: Array<{ readonly control: CoherenceControl; readonly what: string }> = [
    { control: 'deaf', what: 'hears no invalidation' },
    { control: 'late', what: `hears every invalidation ${LATE_BY_MS} ms late` },
  ];
  for (const { control, what } of controls) {
    it(`control: a Conn that ${what} is caught serving replaced versions`, {
      timeout: CONTROL_MS + MARGIN_MS,
    }, async () => {
      const result = await stress('node-redis', CONTROL_MS, control);
      console.log(summary(`node-redis, control: ${what}`, CONTROL_MS, result));
      expect(sum(result.reports, (r) => r.violationCount)).toBeGreaterThan(0);
    });
  }
});
