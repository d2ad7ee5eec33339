import { redisCommand } from '@redcache/redis-harness';
import type { Redis } from 'ioredis';

/**
 * The two connections of an `@redcache/ioredis` driver's tracking pair on one server (see
 * docs/ioredis.md): `data`, which the engine's commands go on, and `subscriber`, which
 * receives the invalidations. The driver exposes them as `connections` for tests that break
 * them; nothing may be sent on them.
 */
export interface PairConnections {
  readonly data: Redis;
  readonly subscriber: Redis;
}

/** The pair connections of `driver`; throws if it has none (not an `@redcache/ioredis` single-server driver). */
export function pairConnectionsOf(driver: object): PairConnections {
  const connections = (driver as { connections?: Partial<PairConnections> }).connections;
  if (connections?.data === undefined || connections.subscriber === undefined) {
    throw new Error('not an @redcache/ioredis driver: it has no connections { data, subscriber }');
  }
  return connections as PairConnections;
}

/** Where an ioredis connection connects to. */
export function serverOf(connection: Redis): { readonly host: string; readonly port: number } {
  return { host: connection.options.host ?? '127.0.0.1', port: connection.options.port ?? 6379 };
}

/**
 * The server-side id of `connection`, found in `CLIENT LIST` (sent on a connection of its
 * own) by the connection's local port: a subscribed connection cannot run `CLIENT ID`, and
 * the data connection is the driver's alone. Rejects while it has no socket, or if the
 * server does not list it.
 */
export async function serverSideId(connection: Redis): Promise<string> {
  const localPort = connection.stream?.localPort;
  if (localPort === undefined) throw new Error('the connection has no socket');
  const { host, port } = serverOf(connection);
  const list = await redisCommand(host, port, ['CLIENT', 'LIST']);
  if (typeof list !== 'string') throw new Error(`CLIENT LIST on ${host}:${port}: ${String(list)}`);
  const entry = list
    .split('\n')
    .find((line) => line.includes(` addr=${localAddress(connection, localPort)} `));
  const id = entry?.match(/\bid=(\d+)/)?.[1];
  if (id === undefined) throw new Error(`${host}:${port} lists no connection from local port ${localPort}`);
  return id;
}

const localAddress = (connection: Redis, localPort: number) =>
  `${connection.stream?.localAddress ?? '127.0.0.1'}:${localPort}`;
