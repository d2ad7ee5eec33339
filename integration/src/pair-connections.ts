import { redisCommand } from '@redcache/redis-harness';
import type { Redis } from 'ioredis';

/**
 * The two connections of an `@redcache/ioredis` driver's tracking pair on one server (see
 * docs/ioredis.md): `data`, which the engine's commands go on, and `subscriber`, which
 * receives the invalidations. The driver exposes them for tests that break them (on a single
 * server as `connections`, on a cluster per master through `masterConnections()`); nothing
 * may be sent on them.
 */
export interface PairConnections {
  readonly data: Redis;
  readonly subscriber: Redis;
}

/** What the cluster driver of `@redcache/ioredis` says of each master it keeps a pair for. */
interface MasterConnections {
  readonly port: number;
  readonly connections: PairConnections;
}

/**
 * The pairs of `driver`, as a function to call each time (a cluster driver opens a pair for
 * each master that joins the topology, and closes those of masters that leave): its one pair
 * on a single server, one per master on a cluster. Throws if it has neither shape (not an
 * `@redcache/ioredis` driver).
 */
export function pairConnectionsOf(driver: object): () => readonly PairConnections[] {
  const cluster = driver as { masterConnections?: () => readonly MasterConnections[] };
  if (typeof cluster.masterConnections === 'function') {
    return () => cluster.masterConnections!().map((master) => master.connections);
  }
  const connections = (driver as { connections?: Partial<PairConnections> }).connections;
  if (connections?.data === undefined || connections.subscriber === undefined) {
    throw new Error(
      'not an @redcache/ioredis driver: it has neither connections { data, subscriber } nor masterConnections()',
    );
  }
  const pair = connections as PairConnections;
  return () => [pair];
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
