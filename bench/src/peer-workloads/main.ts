/**
 * The peer workloads alone (from bench/, after `pnpm build`): `node --import tsx src/peer-workloads/main.ts`
 * [--rounds N --round-ms N --warmup-ms N]. Writes the Peers section of docs/benchmarks.md and its plot.
 */
import { getRedis } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { runPrefix } from '../bench-keys.js';
import { benchOptions } from '../bench-options.js';
import { unlinkRun } from '../cleanup-keys.js';
import { runPeers } from './run-peers.js';

const options = benchOptions(process.argv.slice(2));
const redis = await getRedis();
const prefix = runPrefix();
const admin = createClient({ url: redis.url });
await admin.connect();
try {
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  await runPeers(redis.url, prefix, options, {
    startedAt: new Date().toISOString(),
    redisVersion,
    progress: (message) => process.stderr.write(`… ${message}\n`),
  });
} finally {
  await unlinkRun(admin, prefix);
  await admin.close();
  await redis.stop();
}
