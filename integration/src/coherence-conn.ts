import { Conn, type Driver, type Options } from '@redcache/core';
import { createIoredisDriver } from '@redcache/ioredis';
import { createNodeRedisDriver } from '@redcache/node-redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** The drivers the stress and mixed-fleet tests run: `@redcache/node-redis`, `@redcache/ioredis`. */
export type StressDriverName = 'node-redis' | 'ioredis';

/** A Conn over a real client, and the driver under it (for commands past the near cache). */
export interface DriverConn {
  readonly conn: Conn;
  readonly driver: Driver;
  /** Closes the Conn and the client it was made from. */
  close(): Promise<void>;
}

/**
 * A Conn on the single server `url` through the driver `name`, made as a user who wants the
 * driver at hand would: node-redis's `createClient({ url, RESP: 3, emitInvalidate: true })`,
 * or ioredis's `new Redis(url, { lazyConnect: true })` (the driver opens its own tracking
 * pair from it), under `createNodeRedisDriver` / `createIoredisDriver` and `Conn.open`. It
 * resolves once a `PING` through the driver has been answered (for ioredis: tracking is set up).
 * `wrap` (a test's control: coherence-controls.ts) stands between the driver and the Conn.
 */
export async function openDriverConn(
  name: StressDriverName,
  url: string,
  options: Options = {},
  wrap: (driver: Driver) => Driver = (driver) => driver,
): Promise<DriverConn> {
  if (name === 'node-redis') {
    const client = createClient({ url, RESP: 3, emitInvalidate: true });
    client.on('error', () => {});
    await client.connect();
    const driver = wrap(createNodeRedisDriver(client));
    const conn = Conn.open(driver, options);
    return { conn, driver, close: () => conn.close() };
  }
  const client = new Redis(url, { lazyConnect: true });
  client.on('error', () => {});
  const driver = wrap(createIoredisDriver(client));
  const [ping] = await driver.send([{ key: '', args: ['PING'] }]);
  if (ping instanceof Error) throw ping;
  const conn = Conn.open(driver, options);
  return {
    conn,
    driver,
    async close() {
      await conn.close();
      client.disconnect();
    },
  };
}

/** `GET key` through the driver, on the Conn's own connection (tracked, fenced), past the near cache. */
export async function directGet(driver: Driver, key: string): Promise<unknown> {
  const [reply] = await driver.send([{ key, args: ['GET', key] }]);
  if (reply instanceof Error) throw reply;
  return reply;
}
