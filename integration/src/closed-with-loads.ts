import { type Cache, Conn, type Logger, newStringCache, StringCodec } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import { CountingMetrics } from './counting-metrics.js';
import { heldReplyDriver } from './held-reply-driver.js';
import { plainClient } from './key-client.js';
import { noteKeys } from './key-spread.js';
import {
  IN_FLIGHT_TTL_MS,
  type InFlightKeys,
  inFlightKeys,
  type LoadsInFlight,
  priorValues,
  startLoadsInFlight,
} from './loads-in-flight.js';
import { openConn } from './open-conn.js';
import { pollUntil } from './poll-until.js';
import type { RedisTarget } from './redis-target.js';
import { scanKeys } from './scan-keys.js';
import { openTracking } from './tracking-client.js';

/** The lockTTL of the closed Conn: renewals would tick every lockTTL / 3. */
export const CLOSED_LOCK_TTL_MS = 400;

/** Names unique to one test: its keys, and a lock and refresh-lock prefix nobody else uses. */
export function testNames(keyPrefix: string, test: string) {
  const tag = `${test}-${process.pid}-${Date.now().toString(36)}`;
  return {
    keyPrefix: `${keyPrefix}${test}:`,
    lockPrefix: `__redcache:lock:${tag}:`,
    refreshLockPrefix: `__redcache:refresh:${tag}:`,
  };
}

export type TestNames = ReturnType<typeof testNames>;

/** The start of every lock value a Conn writes, `<lockPrefix><its uuid>:`, read off the lock tokens its driver sent. */
function tokenPrefixOf(driver: CountingDriver, lockPrefix: string): string {
  for (const command of driver.sent) {
    for (const arg of command.args) {
      const text = typeof arg === 'string' ? arg : Buffer.from(arg).toString();
      if (text.startsWith(lockPrefix)) return text.slice(0, text.lastIndexOf(':') + 1);
    }
  }
  throw new Error(`no lock token sent with prefix ${lockPrefix}`);
}

/** What a Conn whose lock values start with `tokenPrefix` has in Redis under `names`: locks by key, refresh locks. */
export async function leftInRedis(target: RedisTarget, names: TestNames, tokenPrefix: string) {
  const data = await scanKeys(target, `${names.keyPrefix}*`);
  const refreshLocks = await scanKeys(target, `${names.refreshLockPrefix}*`);
  return {
    locks: [...data].filter(([, value]) => value.startsWith(tokenPrefix)).map(([key]) => key),
    refreshLocks: [...refreshLocks.keys()],
  };
}

/** A get whose read was in flight when close() began. */
export interface InterruptedRead {
  readonly key: string;
  readonly call: Promise<string>;
  /** Calls of its loader. */
  readonly loads: () => number;
}

export interface ClosedWithLoads {
  readonly cache: Cache<string, string>;
  readonly driver: CountingDriver;
  readonly keys: InFlightKeys;
  readonly names: TestNames;
  readonly loads: LoadsInFlight;
  readonly tokenPrefix: string;
  /** What the Conn had in Redis just before close(). */
  readonly before: Awaited<ReturnType<typeof leftInRedis>>;
  /** Of a key with a value in Redis (not in the near cache). */
  readonly valueRead: InterruptedRead;
  /** Of a key with no value: it would lock and load. */
  readonly missRead: InterruptedRead;
  /** Whether the miss's reply came before close() resolved (as meant), not after. */
  readonly missLandedDuringClose: boolean;
  /** What the Conn logged (warnings and errors), in order. */
  readonly logged: readonly string[];
  /** The commands sent and the lines logged when close() resolved. */
  readonly atClose: { readonly sent: number; readonly logged: number };
}

/**
 * A Conn (lockTTL 400 ms, refresh-ahead on) with every kind of load in flight
 * (loads-in-flight.ts; the setMulti waits for a key another Conn holds while its loader runs),
 * and two gets whose read replies are held back until close() has begun — one of a value, one
 * of a missing key (until close sends its first release); then close(), awaited. `cleanups` gets what the test must undo.
 */
export async function closeWithLoadsInFlight(
  target: RedisTarget,
  names: TestNames,
  cleanups: Array<() => Promise<unknown>>,
): Promise<ClosedWithLoads> {
  const prefixes = { lockPrefix: names.lockPrefix, refreshLockPrefix: names.refreshLockPrefix };
  const metrics = new CountingMetrics();
  const logged: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (message) => logged.push(`warn: ${message}`),
    error: (message) => logged.push(`error: ${message}`),
  };
  const held = heldReplyDriver((await openTracking(target)).driver);
  const driver = countingDriver(held, noteKeys);
  const conn = Conn.open(driver, {
    ...prefixes,
    lockTTLMs: CLOSED_LOCK_TTL_MS,
    refreshAfterFraction: 0.5,
    refreshBeta: 0,
    metrics,
    logger,
  });
  cleanups.push(() => conn.close());
  const cache = newStringCache(conn, StringCodec);
  const client = await plainClient(target);
  cleanups.push(() => client.close());
  const keys = inFlightKeys(names.keyPrefix);
  for (const [key, { text, pxMs }] of priorValues(keys)) await client.set(key, text, { PX: pxMs });
  const valueKey = `${names.keyPrefix}read-value`;
  await client.set(valueKey, '__redcache:v1:0:in-redis', { PX: IN_FLIGHT_TTL_MS });

  // Another Conn, in the same lock format, holds keys.foreign while its loader runs.
  const other = await openConn(target, prefixes);
  cleanups.push(() => other.conn.close());
  let finishForeign: ((value: string) => void) | undefined;
  const foreign = newStringCache(other.conn, StringCodec).get(
    keys.foreign,
    IN_FLIGHT_TTL_MS,
    () => new Promise<string>((resolve) => (finishForeign = resolve)),
  );
  cleanups.push(() => {
    finishForeign?.('foreign');
    return foreign.catch(() => {});
  });
  await pollUntil('another Conn loads the foreign key', () => finishForeign !== undefined, {
    intervalMs: 10,
  });

  const loads = await startLoadsInFlight(cache, keys, async () => {
    await pollUntil('the setMulti waits for the foreign lock', () => metrics.count('lockContended') >= 1, {
      intervalMs: 10,
    });
  });
  cleanups.push(async () => loads.settle());
  const tokenPrefix = tokenPrefixOf(driver, names.lockPrefix);
  const before = await leftInRedis(target, names, tokenPrefix);

  const interrupted = (key: string) => {
    let calls = 0;
    const reply = held.holdReplyOf(key);
    const call = cache.get(key, IN_FLIGHT_TTL_MS, async () => {
      calls++;
      return 'loaded';
    });
    call.catch(() => {});
    return { read: { key, call, loads: () => calls }, reply };
  };
  // One after the other: reads of one tick would go in one merged script, one send.
  const valueRead = interrupted(valueKey);
  await valueRead.reply.sent;
  const missRead = interrupted(`${names.keyPrefix}read-missing`);
  await missRead.reply.sent;
  const sentBeforeClose = driver.sent.length;
  const closing = conn.close();
  // The reads answer while close() runs: a value must not be served nor kept, a miss must not
  // lock nor load. The miss lands late in close's bounded wait: once close has sent its first
  // command (a release of what the loads held).
  valueRead.reply.deliver();
  let closed = false;
  void closing.then(() => (closed = true));
  await Promise.race([
    closing,
    pollUntil('close() sends its releases', () => driver.sent.length > sentBeforeClose, { intervalMs: 1 }),
  ]);
  const missLandedDuringClose = !closed;
  missRead.reply.deliver();
  await closing;
  return {
    cache,
    driver,
    keys,
    names,
    loads,
    tokenPrefix,
    before,
    valueRead: valueRead.read,
    missRead: missRead.read,
    missLandedDuringClose,
    logged,
    atClose: { sent: driver.sent.length, logged: logged.length },
  };
}
