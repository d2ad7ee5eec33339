import { type DriverHealthEvent, InvalidOptionsError } from '@redcache/core';
import {
  CONNECTION_LOST,
  CONNECTION_READY,
  DEFAULT_LIVENESS_CHECK,
  LIVENESS_FAILED,
  type LivenessCheckOptions,
  LivenessChecks,
} from '@redcache/core/internal';
import type { ClientPort } from '../client/client-port.js';
import { invalidatedKey } from '../invalidation/invalidated-key.js';
import { pingableClient } from '../liveness/pingable-client.js';
import type { ClusterPort } from './cluster-port.js';

export const NEEDS_CLUSTER_INVALIDATION_EVENTS =
  'the node-redis cluster must use RESP3 and report invalidations: create it with ' +
  'createCluster({ rootNodes, RESP: 3, defaults: { emitInvalidate: true } }) (or with a clientSideCache), ' +
  'or use connect({ rootNodes }) from @redcache/node-redis, which does that for you';

/**
 * Cluster events after which a node may have forgotten what it tracked for us: a node
 * client failed, reconnects, ended (node-redis also ends the clients of nodes that left the
 * topology) or became ready (a new or renewed connection tracks nothing yet). `'error'` is
 * the cluster's own (a failed topology discovery); listening also keeps it from crashing
 * a process that has no listener of its own.
 */
const LOST_EVENTS = ['node-error', 'node-reconnecting', 'node-disconnect', 'node-ready', 'error'] as const;

/**
 * What each event says of the cluster's health (see `Driver.onHealth`): a node client that
 * failed or reconnects lost its connection; one that is ready again is worth a probe. A node
 * leaving the topology (`node-disconnect`) or a failed discovery (`error`) is no outage.
 */
const HEALTH_OF: Partial<Record<(typeof LOST_EVENTS)[number], DriverHealthEvent>> = {
  'node-error': CONNECTION_LOST,
  'node-reconnecting': CONNECTION_LOST,
  'node-ready': CONNECTION_READY,
};

/** The driver's hold on a cluster's invalidations. */
export interface ClusterInvalidations {
  /** Makes sure a node client reports to the driver (and is pinged); call it before reading through the client. */
  attach(client: ClientPort): void;
  /** Removes every listener from the cluster, its cache and its node clients, and stops the PINGs. */
  detach(): void;
}

/**
 * Follows the invalidations of every node of a cluster. Each node client has its own
 * tracking connection, and node-redis does not pass their `'invalidate'` events on to the
 * cluster, so with `defaults: { emitInvalidate: true }` the driver listens on every node
 * client: those it finds now, those it is about to read through (`attach`), and those
 * node-redis creates later (it finds them on each node event). A cluster with a
 * `clientSideCache` reports every node's invalidations through that one cache instead.
 * Any node connection that fails, reconnects, ends or becomes ready reports `null`, and so
 * does each failed liveness check of a node client it follows (see core's `LivenessCheck`), unless
 * `liveness` is false. `report` hears the same as health events (see `HEALTH_OF`): each
 * failed liveness check, each node connection lost, each one ready again.
 *
 * Throws `InvalidOptionsError` for a RESP2 cluster, or one with neither option.
 */
export function watchClusterInvalidations(
  cluster: ClusterPort,
  emit: (key: string | null) => void,
  liveness: LivenessCheckOptions | false = DEFAULT_LIVENESS_CHECK,
  report: (event: DriverHealthEvent) => void = () => {},
): ClusterInvalidations {
  const cache = invalidationCache(cluster);
  const onInvalidate = (key: unknown): void => {
    const changed = invalidatedKey(key);
    if (changed !== undefined) emit(changed);
  };
  const checks = new LivenessChecks<ClientPort>(
    liveness,
    () => {
      emit(null);
      report(LIVENESS_FAILED);
    },
    pingableClient,
  );
  const attached = new Set<ClientPort>();
  let detached = false;
  const attach = (client: ClientPort): void => {
    if (detached || attached.has(client)) return;
    attached.add(client);
    checks.add(client);
    if (cache === undefined) client.on('invalidate', onInvalidate);
  };
  const release = (client: ClientPort): void => {
    client.off('invalidate', onInvalidate);
    checks.delete(client);
    attached.delete(client);
  };
  /** Follows every node client the cluster has now, and lets go of those it dropped. */
  const sync = (): void => {
    const current = new Set(nodeClients(cluster));
    for (const client of current) attach(client);
    for (const client of attached) if (!current.has(client)) release(client);
  };
  const onLost = (event: (typeof LOST_EVENTS)[number]): void => {
    sync();
    emit(null);
    const health = HEALTH_OF[event];
    if (health !== undefined) report(health);
  };
  const lostListeners = LOST_EVENTS.map((event) => [event, () => onLost(event)] as const);

  cache?.on('invalidate', onInvalidate);
  cluster.on('node-connect', sync);
  for (const [event, listener] of lostListeners) cluster.on(event, listener);
  sync();

  return {
    attach,
    detach: () => {
      detached = true;
      cache?.off('invalidate', onInvalidate);
      cluster.off('node-connect', sync);
      for (const [event, listener] of lostListeners) cluster.off(event, listener);
      for (const client of attached) release(client);
      checks.stop();
    },
  };
}

/** The cluster's shared client-side cache, or undefined when its node clients emit invalidations. */
function invalidationCache(cluster: ClusterPort): ClusterPort['clientSideCache'] {
  const options = cluster._options;
  if (options?.RESP === 2) {
    throw new InvalidOptionsError([`the cluster uses RESP2; ${NEEDS_CLUSTER_INVALIDATION_EVENTS}`]);
  }
  if (cluster.clientSideCache !== undefined) return cluster.clientSideCache;
  if (options?.defaults?.emitInvalidate === true) return undefined;
  throw new InvalidOptionsError([NEEDS_CLUSTER_INVALIDATION_EVENTS]);
}

function* nodeClients(cluster: ClusterPort): Iterable<ClientPort> {
  for (const node of [...cluster.masters, ...cluster.replicas]) {
    if (node.client !== undefined) yield node.client;
  }
}
