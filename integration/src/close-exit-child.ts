/**
 * Run by close.test.ts in a child process: leaves a loader running (holding a lock, renewed)
 * and a caller waiting on a foreign lock (poll and deadline timers), then closes the
 * connection. The process must exit by itself: no timer or socket may keep it alive.
 */
import { newStringCache, StringCodec } from '@redcache/core';
import { connectConn } from './connect-conn.js';
import { CountingMetrics } from './counting-metrics.js';
import { heldLoader } from './held-loader.js';

// `target` is a Redis URL or a cluster target (redis-target.ts).
const [target, prefix] = process.argv.slice(2);
const metrics = new CountingMetrics();
const { conn, keys: raw } = await connectConn(target!, { lockTTLMs: 300, metrics });
const cache = newStringCache(conn, StringCodec);
await raw.set(`${prefix}foreign`, '__redcache:lock:held-elsewhere', { PX: 60_000 });
const never = heldLoader(() => 'never');
const loading = cache.get(`${prefix}loading`, 60_000, never.load);
const waiting = cache.get(`${prefix}foreign`, 60_000, async () => 'never');
// Both are under way: the loader runs (its lock is held and renewed), the other call waits.
await Promise.all([never.started, metrics.reached('lockContended')]);
const outcomes = Promise.allSettled([loading, waiting]);
await conn.close();
const settled = await outcomes;
process.stdout.write(
  `${settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).name : 'fulfilled')).join(',')}\n`,
);
