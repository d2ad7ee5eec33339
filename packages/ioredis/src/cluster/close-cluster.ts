import type { Cluster } from 'ioredis';

/**
 * Closes a `Cluster` that `connect` made: QUIT on every node when it is connected (pending
 * replies first), else a disconnect. Not both: a disconnect after the QUIT would leave the
 * cluster `disconnecting` instead of `end`.
 */
export async function closeCluster(cluster: Cluster): Promise<void> {
  if (cluster.status === 'ready') await cluster.quit().catch(() => cluster.disconnect());
  else cluster.disconnect();
}
