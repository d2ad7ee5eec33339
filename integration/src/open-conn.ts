import { Conn, type Options } from '@redcache/core';
import { createNodeRedisDriver } from '@redcache/node-redis';
import { createClient } from 'redis';
import { type CountingDriver, countingDriver } from './counting-driver.js';

const trackingClient = (url: string) => createClient({ url, RESP: 3, emitInvalidate: true });

export interface TestConn {
  readonly conn: Conn;
  readonly driver: CountingDriver;
  readonly client: ReturnType<typeof trackingClient>;
}

/** A connection over a real node-redis client, with a command-counting driver. */
export async function openConn(url: string, options?: Options): Promise<TestConn> {
  const client = trackingClient(url);
  await client.connect();
  const driver = countingDriver(createNodeRedisDriver(client));
  return { conn: Conn.open(driver, options), driver, client };
}

/** A plain client, for playing "another service" that writes keys. */
export async function plainClient(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}

export { sleep } from '@redcache/fleet';

/** A key prefix unique to one test file and run. */
export function keyPrefix(name: string): string {
  return `test:${name}:${process.pid}:${Date.now().toString(36)}:`;
}
