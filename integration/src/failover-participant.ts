import { type Cache, type Codec, Conn, newStringCache, type Options } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import { CountingMetrics } from './counting-metrics.js';
import { deafToFlush } from './failover-deaf-driver.js';
import type { RedisTarget } from './redis-target.js';
import { openTracking } from './tracking-client.js';

/** A node of a node-redis cluster client, and its client once node-redis created one. */
export interface ClusterNode {
  readonly port: number;
  readonly client?: { listenerCount(event: string): number } | undefined;
}

/** The node lists of a node-redis cluster client (`masters`, `replicas`). */
export interface ClusterNodes {
  readonly masters: readonly ClusterNode[];
  readonly replicas: readonly ClusterNode[];
}

/** One Conn of a failover test, over a tracking client of its own, and what the test watches of it. */
export interface Participant<V> {
  /** The node-redis client under the Conn (a cluster client on a cluster target). */
  readonly client: ClusterNodes;
  readonly driver: CountingDriver;
  readonly metrics: CountingMetrics;
  readonly cache: Cache<string, V>;
  /** Every invalidation the engine was given, and when (`performance.now()`). */
  readonly invalidations: Array<{ readonly key: string | null; readonly atMs: number }>;
  close(): Promise<void>;
}

export interface ParticipantOptions<V> {
  readonly codec: Codec<V>;
  readonly options?: Omit<Options, 'metrics'>;
  /** Hide the driver's `null` reports from the engine (see `deafToFlush`): a control. */
  readonly deaf?: boolean;
}

/** Opens a Conn to `target` through the node-redis driver, counting what it sends. */
export async function openParticipant<V>(
  target: RedisTarget,
  { codec, options = {}, deaf = false }: ParticipantOptions<V>,
): Promise<Participant<V>> {
  const { tracking, driver: nodeRedis } = await openTracking(target);
  const driver = countingDriver(deaf ? deafToFlush(nodeRedis) : nodeRedis);
  const invalidations: Participant<V>['invalidations'] = [];
  driver.onInvalidate((key) => invalidations.push({ key, atMs: performance.now() }));
  const metrics = new CountingMetrics();
  const conn = Conn.open(driver, { ...options, metrics });
  return {
    client: tracking.client as unknown as ClusterNodes,
    driver,
    metrics,
    cache: newStringCache(conn, codec),
    invalidations,
    close: () => conn.close(),
  };
}
