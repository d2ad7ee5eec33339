import { Conn, InvalidOptionsError, type Options } from '@redcache/core';
import {
  createClient,
  type RedisClientOptions,
  type RedisClientType,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type TypeMapping,
} from '@redis/client';
import type { ClientPort } from './client-port.js';
import { StandaloneDriver } from './create-node-redis-driver.js';

/**
 * Creates a node-redis client that redcache can use (RESP3, `emitInvalidate: true`, or your
 * own `clientSideCache` if you pass one), connects it, and opens a `Conn` over it. Your
 * options are passed on to `createClient`. If the options for redcache are invalid, the
 * client is closed and `InvalidOptionsError` is thrown.
 *
 * Like node-redis, this keeps retrying while the server cannot be reached; pass
 * `socket: { reconnectStrategy }` to give up sooner.
 */
export async function connect(
  options?: RedisClientOptions | { url: string },
  redcache?: Options,
): Promise<Conn> {
  const clientOptions: RedisClientOptions = { ...options };
  if ((clientOptions.RESP as number | undefined) === 2) {
    throw new InvalidOptionsError(['RESP must be 3: redcache follows RESP3 invalidation pushes']);
  }
  clientOptions.RESP = 3;
  if (clientOptions.clientSideCache === undefined) clientOptions.emitInvalidate = true;
  const client = createClient(clientOptions);
  const driver = new StandaloneDriver(client, client as unknown as ClientPort);
  try {
    await client.connect();
    return Conn.open(driver, redcache);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/**
 * Opens a `Conn` over a node-redis client you created (with `emitInvalidate: true` or a
 * `clientSideCache`; see `createNodeRedisDriver`). You connect it, before or after;
 * `Conn.close()` closes it.
 */
export function fromClient<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(client: RedisClientType<M, F, S, 3, T>, redcache?: Options): Conn {
  const driver = new StandaloneDriver(client, client as unknown as ClientPort);
  try {
    return Conn.open(driver, redcache);
  } catch (error) {
    driver.detach();
    throw error;
  }
}
