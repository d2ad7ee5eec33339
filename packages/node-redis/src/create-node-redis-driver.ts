import { type LivenessCheckOptions, livenessCheckOf } from '@redcache/core/internal';
import type {
  RedisClientType,
  RedisClusterType,
  RedisFunctions,
  RedisModules,
  RedisScripts,
  TypeMapping,
} from '@redis/client';
import type { ClientPort } from './client/client-port.js';
import { ClusterDriver } from './cluster/cluster-driver.js';
import { type ClusterPort, isClusterPort } from './cluster/cluster-port.js';
import type { NodeRedisDriver } from './node-redis-driver.js';
import { StandaloneDriver } from './standalone/standalone-driver.js';

export type { LivenessCheckOptions } from '@redcache/core/internal';
export type { NodeRedisDriver } from './node-redis-driver.js';

/** Options of the driver: the second argument of `createNodeRedisDriver`, the third of `connect` and `fromClient`. */
export interface NodeRedisDriverOptions {
  /**
   * A PING every `intervalMs` on each connection whose invalidations the driver follows; one
   * unanswered for `timeoutMs` reports that every key may have changed (and so does each
   * further check until the connection answers again). It bounds how long the near cache may
   * serve stale values after a node freezes or the network drops packets silently: about
   * `intervalMs + timeoutMs`. Default `{ intervalMs: 1000, timeoutMs: 1000 }`; `false` sends no
   * PING. See docs/liveness.md.
   */
  readonly livenessCheck?: LivenessCheckOptions | false;
  /**
   * How long `connect` may take, in ms (retries and the server check included), before it
   * rejects with a `ConnectError` naming the address and the cause; and how long `fromClient`'s
   * check of the server (`HELLO 3`, Redis 7.0+) waits for a reply. Default 5 000 ms; a positive
   * integer. See docs/getting-started.md, "When connect fails".
   */
  readonly connectTimeoutMs?: number;
}

/**
 * Wraps a node-redis client (v6.3+) or cluster as a redcache `Driver`.
 *
 * A client must use RESP3 and report invalidations: create it with `emitInvalidate: true`
 * (recommended), or with a `clientSideCache`, whose `'invalidate'` events the driver then
 * follows. With a `clientSideCache`, node-redis also keeps its own copies of the values your
 * other code reads through `client.get()`; the driver never reads through that cache (the
 * engine's near cache is the only cache redcache uses), so it only costs memory.
 *
 * A cluster likewise: `createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } })`
 * (recommended; the driver then listens on every node client node-redis creates), or with
 * a `clientSideCache`. Each call's commands go, as one pipeline, to the master that owns
 * their slot; `slotOf` is the key's hash slot.
 *
 * The caller connects the client; `close()` closes it. `driver.client` is the client given,
 * typed as given, and so is `Conn.open(driver).client`.
 *
 * @param client - a node-redis client (`createClient({ RESP: 3, emitInvalidate: true })`) or
 *   cluster (`createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } })`) on RESP3.
 * @param options - the driver's options: `livenessCheck` (ms) and `connectTimeoutMs` (ms).
 * @returns the driver, to open a `Conn` over with `Conn.open`.
 * @throws InvalidOptionsError for a client that does not report invalidations (no
 *   `emitInvalidate: true` and no `clientSideCache`, or RESP2), or for invalid `options`.
 * @example
 * ```ts
 * const client = createClient({ url, RESP: 3, emitInvalidate: true });
 * const conn = Conn.open(createNodeRedisDriver(client));
 * await client.connect();
 * ```
 */
export function createNodeRedisDriver<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClientType<M, F, S, 3, T>,
  options?: NodeRedisDriverOptions,
): NodeRedisDriver<RedisClientType<M, F, S, 3, T>>;
export function createNodeRedisDriver<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClusterType<M, F, S, 3, T>,
  options?: NodeRedisDriverOptions,
): NodeRedisDriver<RedisClusterType<M, F, S, 3, T>>;
export function createNodeRedisDriver<C>(client: C, options?: NodeRedisDriverOptions): NodeRedisDriver<C> {
  return driverFor(client, options);
}

/** The cluster or standalone driver, whichever fits the client. Internal. */
export function driverFor<C>(
  client: C,
  options?: NodeRedisDriverOptions,
): ClusterDriver<C> | StandaloneDriver<C> {
  const liveness = livenessCheckOf(options?.livenessCheck);
  return isClusterPort(client)
    ? new ClusterDriver(client, client as unknown as ClusterPort, liveness)
    : new StandaloneDriver(client, client as unknown as ClientPort, liveness);
}
