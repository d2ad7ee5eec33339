import { Conn, type Options } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import type { KeyClient } from './key-client.js';
import { noteKeys } from './key-spread.js';
import type { RedisTarget } from './redis-target.js';
import { openTracking, type TrackingClient } from './tracking-client.js';

export interface TestConn {
  readonly conn: Conn;
  readonly driver: CountingDriver;
  /** Commands on the Conn's own connection(s), for looking at keys. */
  readonly client: KeyClient;
  /** The client(s) under the Conn: a node-redis client or cluster client, or an ioredis driver's pair. */
  readonly tracking: TrackingClient;
}

/**
 * A connection to `target` over a real client — node-redis, or ioredis in the `ioredis`
 * project (see redis-driver.ts) — with a command-counting driver.
 */
export async function openConn(target: RedisTarget, options?: Options): Promise<TestConn> {
  const { tracking, driver, keys } = await openTracking(target);
  const counting = countingDriver(driver, noteKeys);
  return { conn: Conn.open(counting, options), driver: counting, client: keys, tracking };
}

export { sleep } from '@redcache/fleet';
export { plainClient } from './key-client.js';

/** A key prefix unique to one test file and run. */
export function keyPrefix(name: string): string {
  return `test:${name}:${process.pid}:${Date.now().toString(36)}:`;
}
