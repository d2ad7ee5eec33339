import { type Cache, type Codec, Conn, newStringCache, type Options } from '@redcache/core';
import { type CountingDriver, countingDriver } from './counting-driver.js';
import { CountingMetrics } from './counting-metrics.js';
import { deafToFlush } from './failover-deaf-driver.js';
import { serverOf } from './pair-connections.js';
import type { RedisTarget } from './redis-target.js';
import { openTracking, type TrackingClient } from './tracking-client.js';

/** A node of a node-redis cluster client, and its client once node-redis created one. */
interface ClusterNode {
  readonly port: number;
  readonly client?: { listenerCount(event: string): number } | undefined;
}

/** The node lists of a node-redis cluster client (`masters`, `replicas`). */
interface ClusterNodes {
  readonly masters: readonly ClusterNode[];
  readonly replicas: readonly ClusterNode[];
}

/** Which nodes of the cluster a participant's client is connected to, whatever the driver. */
export interface ParticipantNodes {
  /**
   * Whether it has a connection to the node on `port`: a node client (of a master or a
   * replica) that node-redis created, or a tracking pair of the ioredis driver.
   */
  connectedTo(port: number): boolean;
  /**
   * Whether it hears invalidations from the master on `port`: node-redis's client for it has
   * the driver's one `invalidate` listener, or the ioredis driver's pair for it has its
   * subscriber connection ready.
   */
  hearsInvalidationsFrom(port: number): boolean;
}

function nodesOf(tracking: TrackingClient): ParticipantNodes {
  if (tracking.kind === 'ioredis') {
    const pairOn = (port: number) => tracking.pairs().find(({ data }) => serverOf(data).port === port);
    return {
      connectedTo: (port) => pairOn(port) !== undefined,
      hearsInvalidationsFrom: (port) => pairOn(port)?.subscriber.status === 'ready',
    };
  }
  const client = tracking.client as unknown as ClusterNodes;
  return {
    connectedTo: (port) =>
      [...client.masters, ...client.replicas].some((node) => node.port === port && node.client !== undefined),
    hearsInvalidationsFrom: (port) =>
      client.masters.find((node) => node.port === port)?.client?.listenerCount('invalidate') === 1,
  };
}

/** One Conn of a failover test, over a tracking client of its own, and what the test watches of it. */
export interface Participant<V> {
  /** The nodes its client is connected to (node-redis's cluster client, or the ioredis driver's pairs). */
  readonly nodes: ParticipantNodes;
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

/** Opens a Conn to `target` through the driver of this process's tests, counting what it sends. */
export async function openParticipant<V>(
  target: RedisTarget,
  { codec, options = {}, deaf = false }: ParticipantOptions<V>,
): Promise<Participant<V>> {
  const { tracking, driver: inner } = await openTracking(target);
  const driver = countingDriver(deaf ? deafToFlush(inner) : inner);
  const invalidations: Participant<V>['invalidations'] = [];
  driver.onInvalidate((key) => invalidations.push({ key, atMs: performance.now() }));
  const metrics = new CountingMetrics();
  const conn = Conn.open(driver, { ...options, metrics });
  return {
    nodes: nodesOf(tracking),
    driver,
    metrics,
    cache: newStringCache(conn, codec),
    invalidations,
    close: () => conn.close(),
  };
}
