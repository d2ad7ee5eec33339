/**
 * `pnpm demo`: several processes stampede the same cold keys through redcache, against a
 * real Redis; the output shows that each key's loader ran once, and how every caller got
 * its value. See ../README.md.
 */
import { type ForkedChild, forkChild, wallClockMs } from '@redcache/fleet';
import { type FoundRedis, findRedis } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { demoOptions } from './demo-options.js';
import { summarizeKey } from './key-summary.js';
import { plural } from './plural.js';
import type { DemoChannel } from './protocol.js';
import { introduction, results } from './report.js';

/** Lead time before the agreed start instant: room for the request to reach every process. */
const START_DELAY_MS = 200;
/** Values outlive the run only briefly, should cleanup be cut short. */
const TTL_MS = 60_000;
/** The worker process: forked through tsx, one per `--processes`. */
const WORKER = new URL('./worker.ts', import.meta.url);

const options = demoOptions(process.argv.slice(2));
console.log(`${introduction(options)}\n`);

let redis: FoundRedis;
try {
  redis = await findRedis();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const admin = createClient({ url: redis.url, socket: { reconnectStrategy: false, connectTimeout: 5_000 } });
try {
  await admin.connect();
} catch (error) {
  console.error(`Cannot reach Redis at ${redis.url} (${redis.source}): ${String(error)}`);
  await redis.stop();
  process.exit(1);
}
const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
if (Number.parseInt(version, 10) < 7) {
  console.error(`Redis ${version} at ${redis.url} is too old: redcache needs Redis 7.0+ (SET NX GET).`);
  await admin.close();
  await redis.stop();
  process.exit(1);
}

const prefix = `redcache-demo:${process.pid}:${Date.now().toString(36)}:`;
const keys = Array.from({ length: options.keys }, (_, i) => `${prefix}product:${i + 1}`);
const counters = keys.map((key) => `${key}:loader-calls`);
const workers: ForkedChild<DemoChannel>[] = [];

let cleaning: Promise<void> | undefined;
const cleanup = () => {
  cleaning ??= (async () => {
    await Promise.allSettled(workers.map((worker) => worker.close()));
    await admin.unlink([...keys, ...counters]).catch(() => {});
    await admin.close().catch(() => {});
    await redis.stop();
  })();
  return cleaning;
};
process.once('SIGINT', () => {
  for (const worker of workers) worker.kill();
  void cleanup().finally(() => process.exit(130));
});

try {
  // Each worker is listed as soon as it is up, so cleanup reaches it even if another fails to start.
  await Promise.all(
    Array.from({ length: options.processes }, async () => {
      workers.push(await forkChild<DemoChannel>(WORKER, [redis.url]));
    }),
  );
  console.log(`Redis ${version} at ${redis.url} (${redis.source})`);
  console.log(`Worker pids: ${workers.map((w) => w.pid).join(' ')} · keys under ${prefix}\n`);

  const request = {
    keys,
    callers: options.callers,
    loaderMs: options.loaderMs,
    ttlMs: TTL_MS,
    startAt: wallClockMs() + START_DELAY_MS,
  };
  const perWorker = await Promise.all(workers.map((worker) => worker.request(request)));
  const loaderCalls = await admin.mGet(counters);
  const summaries = keys.map((key, i) =>
    summarizeKey(
      key,
      perWorker.flatMap((outcomes) => outcomes.filter((outcome) => outcome.key === key)),
      Number(loaderCalls[i] ?? 0),
    ),
  );
  console.log(results(summaries, prefix));
} finally {
  await cleanup();
  console.log(
    `\nCleaned up: ${plural(keys.length * 2, 'key')} deleted, ${plural(workers.length, 'worker process', 'worker processes')} closed.`,
  );
}
