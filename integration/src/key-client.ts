import type { Driver } from '@redcache/core';
import type { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

/**
 * The commands tests send to look at or change keys behind the cache's back ("another
 * service"), the same on a single server and on a cluster.
 */
export interface KeyClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string | Buffer, options?: { readonly PX?: number }): Promise<unknown>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  pTTL(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  close(): Promise<void>;
}

type Args = Array<string | Buffer>;

/** Sends one command about `key` (routed to its node on a cluster). */
export type SendForKey = (key: string, args: Args) => Promise<unknown>;

/** A `KeyClient` over any way of sending a command for a key. */
export function keyClient(send: SendForKey, close: () => Promise<void>): KeyClient {
  const text = (reply: unknown) => (reply === null ? null : String(reply));
  return {
    get: async (key) => text(await send(key, ['GET', key])),
    set: (key, value, options) =>
      send(key, ['SET', key, value, ...(options?.PX === undefined ? [] : ['PX', String(options.PX)])]),
    del: async (key) => Number(await send(key, ['DEL', key])),
    exists: async (key) => Number(await send(key, ['EXISTS', key])),
    pTTL: async (key) => Number(await send(key, ['PTTL', key])),
    incr: async (key) => Number(await send(key, ['INCR', key])),
    close,
  };
}

/** The `KeyClient` of a single-server node-redis client. */
export const standaloneKeys = (client: {
  sendCommand(args: Args): Promise<unknown>;
  close(): Promise<void>;
}): KeyClient =>
  keyClient(
    (_key, args) => client.sendCommand(args),
    () => client.close(),
  );

/** The `KeyClient` of a node-redis cluster client (each command routed by its key). */
export const clusterKeys = (cluster: {
  sendCommand(key: string, isReadonly: boolean, args: Args): Promise<unknown>;
  close(): Promise<void>;
}): KeyClient =>
  keyClient(
    (key, args) => cluster.sendCommand(key, false, args),
    () => cluster.close(),
  );

/** The `KeyClient` of an ioredis client: a `Redis`, or a `Cluster` (which routes each command by its key). */
export const ioredisKeys = (client: Redis | Cluster): KeyClient =>
  keyClient(
    (_key, [name, ...args]) => client.call(String(name), ...args),
    async () => {
      await client.quit();
    },
  );

/**
 * The `KeyClient` of a redcache driver: each command goes through `driver.send`, on the
 * driver's own connection(s) and with its ordering guarantees (for `@redcache/ioredis`, whose
 * connections are not for sending on directly). Bulk replies are decoded as UTF-8 text, as
 * node-redis returns them; an error reply rejects.
 */
export const driverKeys = (driver: Driver, close: () => Promise<void>): KeyClient =>
  keyClient(async (key, args) => {
    const [reply] = await driver.send([{ key, args }]);
    if (reply instanceof Error) throw reply;
    return reply instanceof Uint8Array ? Buffer.from(reply).toString('utf8') : reply;
  }, close);

/** A connected plain (non-tracking) client for `target`. */
export async function plainClient(target: RedisTarget): Promise<KeyClient> {
  const rootNodes = clusterRootNodes(target);
  if (rootNodes === undefined) {
    const client = createClient({ url: target });
    client.on('error', () => {}); // a server a test kills must not crash the process (it reconnects)
    await client.connect();
    return standaloneKeys(client);
  }
  const cluster = createCluster({ rootNodes });
  cluster.on('error', () => {});
  await cluster.connect();
  return clusterKeys(cluster);
}
