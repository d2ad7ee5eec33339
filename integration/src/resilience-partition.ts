import { newStringCache, StringCodec } from '@redcache/core';
import { expect } from 'vitest';
import { openConn } from './open-conn.js';
import { pollUntil } from './poll-until.js';
import { CallWatch } from './resilience-calls.js';

/** The defaults a partition test relies on: core's commandTimeoutMs, the driver's livenessCheck. */
export const COMMAND_TIMEOUT_MS = 1_000;
export const LIVENESS_BOUND_MS = 1_000 + 1_000;
/** Timers and scheduling on a loaded machine: a liveness bound, not a speed. */
export const MARGIN_MS = 1_000;
const TTL_MS = 60_000;
/** What the cold gets started with the fault load. */
const AT_ONCE = 'cold, loaded as the fault began';

/** A fault that cuts a Conn off from Redis silently (no reset), and its end. */
export interface SilentPartition {
  readonly name: string;
  /** The URL the Conn uses. */
  readonly url: string;
  start(): void;
  /** Ends it; resolves once it has ended. */
  end(): void | Promise<void>;
}

type Cache = ReturnType<typeof newStringCache<string>>;

/**
 * A Conn with default options and a warm near cache, cut off by `partition` for longer than
 * the liveness bound: the near cache is dropped within that bound (a get then needs Redis
 * and fails, typed, instead of serving its value from memory), every call settles within
 * commandTimeoutMs; once the partition ends, calls succeed and the near cache serves again.
 * The partition is ended on every path. Prints the figures.
 */
export async function checkSilentPartition(partition: SilentPartition, prefix: string): Promise<void> {
  const t = await openConn(partition.url);
  const cache = newStringCache(t.conn, StringCodec);
  const warm = `${prefix}warm`;
  let loads = 0;
  const load = async () => {
    loads++;
    return 'warm';
  };
  expect(await cache.get(warm, TTL_MS, load)).toBe('warm');
  const sent = t.driver.sent.length;
  expect(await cache.get(warm, TTL_MS, load)).toBe('warm');
  expect(t.driver.sent.length).toBe(sent); // from the near cache
  const dropped: number[] = [];
  t.driver.onInvalidate((key) => key === null && dropped.push(performance.now()));

  const calls = new CallWatch();
  partition.start();
  let during: { droppedMs: number; partitionMs: number };
  try {
    during = await duringPartition(cache, warm, load, calls, dropped, prefix);
  } finally {
    await partition.end();
  }
  const endedAt = performance.now();
  const backAt = await pollUntil(
    'calls succeed again',
    async () => (await cache.get(warm, TTL_MS, load)) === 'warm',
    { intervalMs: 10 },
  );
  const again = t.driver.sent.length;
  expect(await cache.get(warm, TTL_MS, load)).toBe('warm');
  expect(t.driver.sent.length).toBe(again); // the near cache serves again
  expect(loads).toBe(1); // the value stayed in Redis: read again, never reloaded
  console.log(
    [
      `${partition.name} for ${Math.round(during.partitionMs)} ms: near cache dropped after ` +
        `${Math.round(during.droppedMs)} ms (bound ${LIVENESS_BOUND_MS}); ${calls.settled.length} calls, ` +
        `the longest took ${Math.round(calls.longestMs)} ms (bound ${COMMAND_TIMEOUT_MS}); ` +
        `calls succeeded again ${Math.round(backAt - endedAt)} ms after it ended`,
      ...[...calls.tally()].map(([outcome, n]) => `  ${n} x ${outcome}`),
    ].join('\n'),
  );
  expect(during.droppedMs).toBeLessThanOrEqual(LIVENESS_BOUND_MS + MARGIN_MS);
  expect(calls.longestMs).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + MARGIN_MS);
  await t.conn.close();
}

/** The calls during the partition: cold gets at once, then gets of the warm key past the drop. */
async function duringPartition(
  cache: Cache,
  warm: string,
  load: () => Promise<string>,
  calls: CallWatch,
  dropped: readonly number[],
  prefix: string,
): Promise<{ droppedMs: number; partitionMs: number }> {
  calls.mark();
  const startedAt = calls.since;
  // Cold gets at once: one may be read (and locked) before the fault takes hold (a DEBUG SLEEP is
  // sent, not yet run); then only its CAS fails, and a value loaded but not stored is still returned.
  for (let i = 0; i < 5; i++) calls.watch(cache.get(`${prefix}cold-${i}`, TTL_MS, async () => AT_ONCE));
  await pollUntil('the near cache is dropped', () => dropped.length > 0);
  const droppedMs = dropped[0]! - startedAt;
  // Past the drop, the warm key is not served from memory: the get needs Redis, and fails typed.
  const afterDrop = await cache.get(warm, TTL_MS, load).catch((error: unknown) => error);
  expect(afterDrop).toBeInstanceOf(Error);
  // Calls go on failing, each within the bound, for longer than the liveness bound.
  while (performance.now() - startedAt <= LIVENESS_BOUND_MS + 500) {
    calls.watch(cache.get(warm, TTL_MS, load));
    calls.watch(cache.get(`${prefix}cold-late`, TTL_MS, async () => 'cold'));
    await calls.drained();
  }
  await calls.drained();
  expect(calls.settled.every((s) => !s.ok || s.outcome === AT_ONCE)).toBe(true);
  for (const { ok, outcome } of calls.settled) if (!ok) expect(outcome).toMatch(/^E_(TIMEOUT|UNAVAILABLE) /);
  return { droppedMs, partitionMs: performance.now() - startedAt };
}
