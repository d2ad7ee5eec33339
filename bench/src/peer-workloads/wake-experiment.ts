/**
 * Issue 12's "wake without the re-read", alone (from bench/, after `pnpm build`):
 * `node --import tsx src/peer-workloads/wake-experiment.ts [--rounds N]` (default 21). The
 * stampede with redcache and the raw wake protocol in both modes only, interleaved; prints
 * the follower wake table and the pub/sub verdict. Writes nothing to the docs; its keys
 * (under its own run prefix) are unlinked at the end.
 */

import { loadavg } from 'node:os';
import { getRedis } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { runPrefix } from '../bench-keys.js';
import { benchOptions } from '../bench-options.js';
import { unlinkRun } from '../cleanup-keys.js';
import { table } from '../format.js';
import { measurePeerStampede } from './stampede.js';
import { stampedeTables } from './stampede-tables.js';

const argv = process.argv.slice(2);
const options = benchOptions(argv.includes('--rounds') ? argv : [...argv, '--rounds', '21']);
const redis = await getRedis();
const prefix = runPrefix();
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
try {
  const before = load();
  const figures = await measurePeerStampede(
    {
      url: redis.url,
      prefix: `${prefix}peers:`,
      rounds: options.rounds,
      measure: options.measure,
      progress: (message) => process.stderr.write(`… ${message}\n`),
    },
    ['redcache', 'raw-push', 'raw-pubsub'],
  );
  console.log(`load average (1, 5, 15 min): ${before} before, ${load()} after\n`);
  for (const t of stampedeTables(figures)) console.log(`${t.title}\n${table(t.rows)}\n`);
} finally {
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await unlinkRun(admin, prefix);
  await admin.close();
  await redis.stop();
}
