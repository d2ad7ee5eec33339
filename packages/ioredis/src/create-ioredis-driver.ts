import { type Driver, InvalidOptionsError } from '@redcache/core';
import { connectTimeoutOf, type LivenessCheckOptions, livenessCheckOf } from '@redcache/core/internal';
import type { Cluster, Redis } from 'ioredis';
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
 * Wraps an ioredis client (5.x) as a redcache `Driver`.
 *
 * ioredis speaks RESP2, which has no invalidation pushes, so the driver opens two connections
 * of its own with `client.duplicate()`: one it sends on, with `CLIENT TRACKING ON REDIRECT`
 * to the other, which listens on `__redis__:invalidate`. Every reply is fenced (a PING through
 * the listening connection) so that the invalidations a command caused are delivered before
 * its reply resolves, as on one RESP3 connection; docs/ioredis.md gives the argument. Your
 * client is never sent a command by the driver: it is `driver.client` (and `Conn.client`),
 * yours to use, connected or not. `close()` closes the driver's connections, not your client.
 *
 * @param client - an ioredis `Redis` (its options, TLS and auth included, are copied).
 * @param options - the driver's options: `livenessCheck` (ms).
 * @returns the driver, to open a `Conn` over with `Conn.open`; it connects at once.
 * @throws InvalidOptionsError for a client with a `keyPrefix` (ioredis would rename the keys
 *   other processes share; use a view's `prefix` instead), a `Cluster` (not supported yet),
 *   or invalid `options`.
 * @example
 * ```ts
 * const client = new Redis(url);
 * const conn = Conn.open(createIoredisDriver(client));
 * ```
 */
export function createIoredisDriver(client: Redis, options?: IoredisDriverOptions): Driver<Redis> {
  return driverFor(client, options);
}

/** The driver for `client`, checked. Internal. */
export function driverFor<C extends Redis | Cluster>(
  client: C,
  options?: IoredisDriverOptions,
  { ownsClient = false }: { readonly ownsClient?: boolean } = {},
): StandaloneDriver<C> {
  const liveness = livenessCheckOf(options?.livenessCheck);
  if (isCluster(client)) {
    throw new InvalidOptionsError(['client: an ioredis Cluster is not supported yet; pass a Redis']);
  }
  if (typeof (client as Redis).duplicate !== 'function' || typeof (client as Redis).options !== 'object') {
    throw new InvalidOptionsError(['client: must be an ioredis Redis (new Redis(...))']);
  }
  const prefix = (client as Redis).options.keyPrefix;
  if (typeof prefix === 'string' && prefix.length > 0) {
    throw new InvalidOptionsError([
      `client: keyPrefix ${JSON.stringify(prefix)}: ioredis would rename every key redcache sends, and other processes would not find them; leave keyPrefix out and use a view's prefix option`,
    ]);
  }
  const waitMs = connectTimeoutOf(options?.connectTimeoutMs);
  return new StandaloneDriver(client, client as Redis, { liveness, ownsClient, waitMs });
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}
