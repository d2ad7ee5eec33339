/**
 * A child process for cross-process tests: one Conn over a real Redis, driven by messages
 * from the parent (see `spawn-worker.ts`). Loaders count their calls in Redis (INCR), so
 * the parent can count loader calls across every process.
 */
import { Conn, JSONCodec, newStringCache } from '@redcache/core';
import { EventTally, notifyParent, serveParent, sleep } from '@redcache/fleet';
import { CountingMetrics } from './counting-metrics.js';
import { plainClient } from './key-client.js';
import { keyReleases } from './key-releases.js';
import { openTracking } from './tracking-client.js';
import type { WorkerChannel, WorkerReply, WorkerRequest } from './worker-protocol.js';

// `url` is a Redis URL, or a cluster target (`clusterTarget` in redis-target.ts).
const [url, optionsJson] = process.argv.slice(2);
const log = new EventTally({ problems: 'ignore' });
const counter = await plainClient(url!);
const metrics = new CountingMetrics();
const { driver } = await openTracking(url!);
const invalidations: Record<string, number> = {};
driver.onInvalidate((key) => {
  const name = key ?? '*';
  invalidations[name] = (invalidations[name] ?? 0) + 1;
});
const conn = Conn.open(driver, {
  ...JSON.parse(optionsJson ?? '{}'),
  logger: log,
  metrics,
});
const cache = newStringCache(conn, JSONCodec<{ value: string; pid: number }>());
let loaderCalls = 0;
/** Opens the hold on the loaders of a key (`release`): one promise per key, resolved once. */
const releaseOf = keyReleases();
const done = (error?: string): WorkerReply => ({
  type: 'done',
  ...(error === undefined ? {} : { error }),
  metrics: { ...metrics.counts },
  invalidations: { ...invalidations },
});

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'get': {
      const results = await Promise.allSettled(
        Array.from({ length: request.concurrency }, () =>
          cache.get(request.key, request.ttlMs, async () => {
            loaderCalls++;
            await counter.incr(request.counterKey);
            notifyParent<WorkerChannel>({ type: 'loading', key: request.key });
            await sleep(request.loaderMs);
            if (request.hold) await releaseOf(request.key).released;
            return { value: request.value, pid: process.pid };
          }),
        ),
      );
      return {
        type: 'result',
        values: results.map((r) =>
          r.status === 'fulfilled' ? `${r.value.value}@${r.value.pid}` : `error:${String(r.reason)}`,
        ),
        wakes: { ...log.wakes },
        lockAttempts: log.lockAttempts,
        locksAcquired: log.locksAcquired,
        loaderCalls,
        metrics: { ...metrics.counts },
      };
    }
    case 'stats':
      return done();
    case 'release':
      releaseOf(request.key).release();
      return done();
    case 'op':
      try {
        await runOp(request);
        return done();
      } catch (error) {
        return done(String(error));
      }
  }
}

async function runOp(request: Extract<WorkerRequest, { type: 'op' }>): Promise<void> {
  const value = { value: request.value, pid: 0 };
  switch (request.method) {
    case 'set':
      return cache.set(request.key, request.ttlMs, async () => {
        await sleep(request.loaderMs);
        return value;
      });
    case 'forceSet':
      return cache.forceSet(request.key, request.ttlMs, value);
    case 'del':
      return cache.del(request.key);
    case 'touch':
      return cache.touch(request.key, request.ttlMs);
  }
}

serveParent<WorkerChannel>({
  handle,
  async close() {
    await conn.close();
    await counter.close();
  },
});
