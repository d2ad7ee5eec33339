import type { Conn, Options } from '@redcache/core';
import { connect as connectIoredis } from '@redcache/ioredis';
import { connect as connectNodeRedis } from '@redcache/node-redis';
import { ioredisStartupNodes } from './ioredis-tracking.js';
import { clusterKeys, ioredisKeys, type KeyClient, standaloneKeys } from './key-client.js';
import { type RedisDriverName, redisDriverName } from './redis-driver.js';
import { clusterRootNodes, connectOptions, isClusterTarget, type RedisTarget } from './redis-target.js';

/** A Conn made by a driver package's own `connect`, and the commands of its client (`conn.client`). */
export interface ConnectedConn {
  readonly conn: Conn;
  /** Commands on `conn.client`, the client `connect` made: `conn.close()` closes it too. */
  readonly keys: KeyClient;
}

/**
 * Opens a Conn to `target` as an application would, with the public `connect` of the
 * driver's package (`@redcache/node-redis`, or `@redcache/ioredis`: `connect(url)`, or
 * `connect({ cluster })` on a cluster target), by
 * default the driver of this process's tests (redis-driver.ts): for tests of what `connect`
 * sets up, such as the sockets and timers `close()` must leave none of.
 */
export async function connectConn(
  target: RedisTarget,
  options?: Options,
  driver: RedisDriverName = redisDriverName(),
): Promise<ConnectedConn> {
  if (driver === 'ioredis') {
    const rootNodes = clusterRootNodes(target);
    const conn =
      rootNodes === undefined
        ? await connectIoredis(target, options)
        : await connectIoredis({ cluster: ioredisStartupNodes(rootNodes) }, options);
    return { conn, keys: ioredisKeys(conn.client) };
  }
  const conn = await connectNodeRedis(connectOptions(target), options);
  const client: unknown = conn.client;
  return {
    conn,
    keys: isClusterTarget(target)
      ? clusterKeys(client as Parameters<typeof clusterKeys>[0])
      : standaloneKeys(client as Parameters<typeof standaloneKeys>[0]),
  };
}
