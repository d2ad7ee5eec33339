import type { Redis } from 'ioredis';
import type { ClusterSetup, NodeAddress } from './cluster-setup.js';
import { type ClusterShape, clusterShapeOf } from './cluster-shape.js';

/** One node's view of the cluster. */
export interface ClusterView {
  readonly shape: ClusterShape;
  /**
   * The node says `cluster_state:ok` (`CLUSTER INFO`). A node that does not (cut off from the
   * majority of masters, or seeing a slot unserved) may be answering with a stale view.
   */
  readonly clusterOk: boolean;
}

/**
 * Reads the cluster's shape (`CLUSTER SLOTS`) and state (`CLUSTER INFO`) from one node: on
 * `connection` when it is ready (a master's data connection: neither reads a key, so they arm
 * no tracking), else on a connection of its own, opened for this read alone and dropped after
 * it, with no retry. That one is in `oneOffs` while it is open, for the topology to drop when
 * it closes.
 *
 * @throws what the read failed with, or an Error after `setup.refreshTimeoutMs`.
 */
export async function readClusterShape(
  setup: ClusterSetup,
  node: NodeAddress,
  connection: Redis | undefined,
  oneOffs: Set<Redis>,
): Promise<ClusterView> {
  const [slots, info] =
    connection?.status === 'ready'
      ? await within(ask(connection), setup.refreshTimeoutMs, node)
      : await readOnce(setup, node, oneOffs);
  return {
    shape: clusterShapeOf(slots, node.host, setup.mapped),
    clusterOk: /^cluster_state:ok\s*$/m.test(String(info)),
  };
}

/** `CLUSTER SLOTS` and `CLUSTER INFO`, pipelined. */
function ask(connection: Redis): Promise<[unknown, unknown]> {
  return Promise.all([connection.call('CLUSTER', 'SLOTS'), connection.call('CLUSTER', 'INFO')]);
}

async function readOnce(
  setup: ClusterSetup,
  node: NodeAddress,
  oneOffs: Set<Redis>,
): Promise<[unknown, unknown]> {
  const connection = setup.connectionTo(node, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: setup.refreshTimeoutMs,
  });
  oneOffs.add(connection);
  // ioredis rejects a failed connect with 'Connection is closed.'; the cause came as 'error'.
  let cause: unknown;
  connection.on('error', (error: unknown) => {
    cause ??= error;
  });
  try {
    return await within(
      connection.connect().then(() => ask(connection)),
      setup.refreshTimeoutMs,
      node,
    );
  } catch (error) {
    throw cause ?? error;
  } finally {
    oneOffs.delete(connection);
    connection.disconnect();
  }
}

async function within<T>(promise: Promise<T>, ms: number, node: NodeAddress): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`CLUSTER SLOTS and INFO on ${node.host}:${node.port}: no reply within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
