/**
 * Run by close-drain.test.ts in a child process: starts every kind of load that holds
 * something in Redis (loads-in-flight.ts: a get, a getMulti, a set over a prior value, a
 * setMulti waiting for a key locked elsewhere, a refresh-ahead job), each with a loader that
 * never settles, then closes the connection and prints the callers' outcomes (`pending` for one
 * still unsettled) and when close() resolved (JSON on stdout). The loaders stay pending: the process must exit by itself, so no
 * timer or socket may be left to keep it alive.
 *
 * argv: target (redis-target.ts), key prefix, lockPrefix, refreshLockPrefix.
 */
import { newStringCache, StringCodec } from '@redcache/core';
import { connectConn } from './connect-conn.js';
import { CountingMetrics } from './counting-metrics.js';
import { inFlightKeys, priorValues, startLoadsInFlight } from './loads-in-flight.js';
import { pollUntil } from './poll-until.js';

const [target, prefix, lockPrefix, refreshLockPrefix] = process.argv.slice(2);
const metrics = new CountingMetrics();
const { conn, keys: raw } = await connectConn(target!, {
  lockTTLMs: 300,
  lockPrefix: lockPrefix!,
  refreshLockPrefix: refreshLockPrefix!,
  refreshAfterFraction: 0.5,
  refreshBeta: 0,
  metrics,
});
const cache = newStringCache(conn, StringCodec);
const keys = inFlightKeys(prefix!);
for (const [key, { text, pxMs }] of priorValues(keys)) await raw.set(key, text, { PX: pxMs });
// Locked by "another process": a lock value in this Conn's lock format that nobody renews or releases.
await raw.set(keys.foreign, `${lockPrefix}elsewhere:1`, { PX: 60_000 });
const loads = await startLoadsInFlight(cache, keys, async () => {
  await pollUntil('the setMulti waits', () => metrics.count('lockContended') >= 1, { intervalMs: 10 });
});
const outcomes: string[] = Object.values(loads.calls).map(() => 'pending');
Object.values(loads.calls).forEach((call, i) => {
  call.then(
    () => (outcomes[i] = 'fulfilled'),
    (error: unknown) => (outcomes[i] = (error as Error).name),
  );
});
await conn.close();
const closedAt = Date.now();
// Each call has settled by now, or it is reported 'pending' (awaiting it could hang for ever).
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(`${JSON.stringify({ outcomes, closedAt })}\n`);
