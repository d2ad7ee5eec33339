import { Conn, InvalidOptionsError, type Options } from '@redcache/core';
import { resolveOptions } from '@redcache/core/internal';
import {
  createClient,
  createCluster,
  type RedisClientOptions,
  type RedisClientType,
  type RedisClusterOptions,
  type RedisClusterType,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type TypeMapping,
} from '@redis/client';
import { driverFor, type NodeRedisDriverOptions } from './create-node-redis-driver.js';

const NEEDS_RESP3 = 'RESP must be 3: redcache follows RESP3 invalidation pushes';

/**
 * Creates a node-redis client that redcache can use (RESP3, `emitInvalidate: true`, or your
 * own `clientSideCache` if you pass one), connects it, and opens a `Conn` over it. Your
 * options are passed on to `createClient`. If the options for redcache are invalid,
 * `InvalidOptionsError` is thrown before any connection is made. `driverOptions` are the
 * driver's own (see `createNodeRedisDriver`).
 *
 * Options with `rootNodes` create a cluster instead (`createCluster`, with
 * `defaults: { emitInvalidate: true }` added to your `defaults` unless you pass a
 * `clientSideCache`).
 *
 * Like node-redis, this keeps retrying while the server cannot be reached; pass
 * `socket: { reconnectStrategy }` to give up sooner.
 */
export async function connect(
  options?: RedisClientOptions | RedisClusterOptions | { url: string },
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Promise<Conn> {
  if ((options as { RESP?: number } | undefined)?.RESP === 2) throw new InvalidOptionsError([NEEDS_RESP3]);
  // Before any socket: with a server that cannot be reached, node-redis retries for ever, and
  // an options error found only once connected would never come.
  resolveOptions(redcache);
  const client =
    options !== undefined && 'rootNodes' in options
      ? createCluster(clusterOptions(options))
      : createClient(clientOptions(options));
  const driver = driverFor(client, driverOptions);
  try {
    await client.connect();
    return Conn.open(driver, redcache);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

function clientOptions(options: RedisClientOptions | { url: string } | undefined): RedisClientOptions {
  const result: RedisClientOptions = { ...options, RESP: 3 };
  if (result.clientSideCache === undefined) result.emitInvalidate = true;
  return result;
}

function clusterOptions(options: RedisClusterOptions): RedisClusterOptions {
  const result: RedisClusterOptions = { ...options, RESP: 3 };
  if (result.clientSideCache === undefined) result.defaults = { ...result.defaults, emitInvalidate: true };
  return result;
}

/**
 * Opens a `Conn` over a node-redis client or cluster you created (with `emitInvalidate:
 * true` or a `clientSideCache`; see `createNodeRedisDriver`, whose options `driverOptions`
 * are). You connect it, before or after; `Conn.close()` closes it.
 */
export function fromClient<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClientType<M, F, S, 3, T> | RedisClusterType<M, F, S, 3, T>,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Conn {
  const driver = driverFor(client, driverOptions);
  try {
    return Conn.open(driver, redcache);
  } catch (error) {
    driver.detach();
    throw error;
  }
}
