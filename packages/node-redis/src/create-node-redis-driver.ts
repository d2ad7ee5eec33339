import type {
  RedisClientType,
  RedisClusterType,
  RedisFunctions,
  RedisModules,
  RedisScripts,
  TypeMapping,
} from '@redis/client';
import type { ClientPort } from './client-port.js';
import { ClusterDriver } from './cluster-driver.js';
import { type ClusterPort, isClusterPort } from './cluster-port.js';
import type { NodeRedisDriver } from './node-redis-driver.js';
import { StandaloneDriver } from './standalone-driver.js';

export type { NodeRedisDriver } from './node-redis-driver.js';

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
 * Throws `InvalidOptionsError` for any other client. The caller connects the client;
 * `close()` closes it.
 */
export function createNodeRedisDriver<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(client: RedisClientType<M, F, S, 3, T>): NodeRedisDriver<RedisClientType<M, F, S, 3, T>>;
export function createNodeRedisDriver<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(cluster: RedisClusterType<M, F, S, 3, T>): NodeRedisDriver<RedisClusterType<M, F, S, 3, T>>;
export function createNodeRedisDriver<C>(client: C): NodeRedisDriver<C> {
  return driverFor(client);
}

/** The cluster or standalone driver, whichever fits the client. Internal. */
export function driverFor<C>(client: C): ClusterDriver<C> | StandaloneDriver<C> {
  return isClusterPort(client)
    ? new ClusterDriver(client, client as unknown as ClusterPort)
    : new StandaloneDriver(client, client as unknown as ClientPort);
}
