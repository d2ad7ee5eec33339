import { type Driver, InvalidOptionsError } from '@redcache/core';
import { connectTimeoutOf, type LivenessCheckOptions, livenessCheckOf } from '@redcache/core/internal';
import type { Cluster, Redis } from 'ioredis';
import { ClusterDriver, isCluster } from './cluster/cluster-driver.js';
import { clusterSetupOf } from './cluster/cluster-setup.js';
import { StandaloneDriver } from './standalone/standalone-driver.js';

export type { LivenessCheckOptions } from '@redcache/core/internal';

/** Options of the driver: the second argument of `createIoredisDriver`, the third of `connect` and `fromClient`. */
export interface IoredisDriverOptions {
  /**
   * A PING every `intervalMs` on each connection the driver opened (the data and subscriber
   * connection of each node); one unanswered for `timeoutMs` reports that every key may have
   * changed, and that connection is dropped and made again. It bounds how long the near cache
   * may serve stale values after a node freezes or the network drops packets silently: about
   * `intervalMs + timeoutMs`. Default `{ intervalMs: 1000, timeoutMs: 1000 }`; `false` sends
   * no PING. See docs/liveness.md.
   */
  readonly livenessCheck?: LivenessCheckOptions | false;
  /**
   * How long `connect` may take, in ms, before it rejects with a `ConnectError` naming the
   * address and the cause; and, once connected, how long a call may wait for the driver's
   * connections to be back after they were lost, before it fails (as a Redis error, which the
   * Conn's breaker counts). Default 5 000 ms; a positive integer.
   */
  readonly connectTimeoutMs?: number;
}

/**
 * Wraps an ioredis client (5.x), a `Redis` or a `Cluster`, as a redcache `Driver`.
 *
 * ioredis speaks RESP2, which has no invalidation pushes, so the driver opens two connections
 * of its own per server with `client.duplicate()`: one it sends on, with
 * `CLIENT TRACKING ON REDIRECT` to the other, which listens on `__redis__:invalidate`. On a
 * `Cluster` it keeps such a pair per master, made with the cluster's `redisOptions` (auth,
 * TLS, `natMap` applied), reads the topology itself (`CLUSTER SLOTS`, from your startup nodes
 * first) and follows it: MOVED, ASK, TRYAGAIN, masters that come and go. Every reply is fenced (a PING through
 * the listening connection) so that the invalidations a command caused are delivered before
 * its reply resolves, as on one RESP3 connection; docs/ioredis.md gives the argument. Your
 * client is never sent a command by the driver: it is `driver.client` (and `Conn.client`),
 * yours to use, connected or not. `close()` closes the driver's connections, not your client.
 *
 * @param client - an ioredis `Redis` (its options, TLS and auth included, are copied) or
 *   `Cluster` (its startup nodes and options are read; it is never connected by the driver).
 * @param options - the driver's options: `livenessCheck` (ms).
 * @returns the driver, to open a `Conn` over with `Conn.open`; it connects at once.
 * @throws InvalidOptionsError for a client with a `keyPrefix` (ioredis would rename the keys
 *   other processes share; use a view's `prefix` instead), or invalid `options`.
 * @example
 * ```ts
 * const client = new Redis(url);
 * const conn = Conn.open(createIoredisDriver(client));
 * const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }]);
 * const clustered = Conn.open(createIoredisDriver(cluster));
 * ```
 */
export function createIoredisDriver(client: Redis, options?: IoredisDriverOptions): Driver<Redis>;
export function createIoredisDriver(client: Cluster, options?: IoredisDriverOptions): Driver<Cluster>;
export function createIoredisDriver(
  client: Redis | Cluster,
  options?: IoredisDriverOptions,
): Driver<Redis> | Driver<Cluster> {
  return isCluster(client) ? driverFor(client, options) : driverFor(client, options);
}

/** Whether `driverFor`'s driver closes the client too (`connect` made it). */
interface Ownership {
  readonly ownsClient?: boolean;
}

/** The driver for `client`, checked. Internal. */
export function driverFor(
  client: Redis,
  options?: IoredisDriverOptions,
  own?: Ownership,
): StandaloneDriver<Redis>;
export function driverFor(
  client: Cluster,
  options?: IoredisDriverOptions,
  own?: Ownership,
): ClusterDriver<Cluster>;
export function driverFor(
  client: Redis | Cluster,
  options?: IoredisDriverOptions,
  { ownsClient = false }: Ownership = {},
): StandaloneDriver<Redis> | ClusterDriver<Cluster> {
  const liveness = livenessCheckOf(options?.livenessCheck);
  const waitMs = connectTimeoutOf(options?.connectTimeoutMs);
  if (isCluster(client)) {
    refuseKeyPrefix(client.options.keyPrefix ?? client.options.redisOptions?.keyPrefix);
    return new ClusterDriver(client, clusterSetupOf(client), { liveness, ownsClient, waitMs });
  }
  if (typeof (client as Redis).duplicate !== 'function' || typeof (client as Redis).options !== 'object') {
    throw new InvalidOptionsError([
      'client: must be an ioredis Redis or Cluster (new Redis(...), new Cluster(...))',
    ]);
  }
  refuseKeyPrefix(client.options.keyPrefix);
  return new StandaloneDriver(client, client, { liveness, ownsClient, waitMs });
}

function refuseKeyPrefix(prefix: string | undefined): void {
  if (typeof prefix === 'string' && prefix.length > 0) {
    throw new InvalidOptionsError([
      `client: keyPrefix ${JSON.stringify(prefix)}: ioredis would rename every key redcache sends, and other processes would not find them; leave keyPrefix out and use a view's prefix option`,
    ]);
  }
}
