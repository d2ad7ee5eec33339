import { createClient, createCluster } from 'redis';

/**
 * Where a worker connects: a Redis URL (`redis://…`), or a cluster given as `cluster:` followed
 * by the JSON of its root nodes (see `clusterTarget`). A plain string, so it passes through
 * argv to a worker process unchanged.
 */
export type RedisTarget = string;

const CLUSTER_PREFIX = 'cluster:';

/** The target for a cluster reached through `rootNodes` (e.g. `startRedisCluster().rootNodes`). */
export function clusterTarget(rootNodes: ReadonlyArray<{ readonly url: string }>): RedisTarget {
  return `${CLUSTER_PREFIX}${JSON.stringify(rootNodes.map((node) => ({ url: node.url })))}`;
}

/** The root nodes of a cluster target, or undefined for a plain URL. */
export function clusterRootNodes(target: RedisTarget): Array<{ url: string }> | undefined {
  if (!target.startsWith(CLUSTER_PREFIX)) return undefined;
  return JSON.parse(target.slice(CLUSTER_PREFIX.length)) as Array<{ url: string }>;
}

/** What loaders and tests need of a plain (non-tracking) client: counting loader calls. */
export interface CounterClient {
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
  close(): Promise<void>;
}

/** A plain connected client for `target`: a standalone client, or a cluster client. */
export async function counterClient(target: RedisTarget): Promise<CounterClient> {
  const rootNodes = clusterRootNodes(target);
  if (rootNodes === undefined) {
    const client = createClient({ url: target });
    await client.connect();
    return {
      get: async (key) => (await client.get(key)) as string | null,
      incr: (key) => client.incr(key),
      close: () => client.close(),
    };
  }
  const cluster = createCluster({ rootNodes });
  cluster.on('error', () => {});
  await cluster.connect();
  return {
    get: async (key) => (await cluster.get(key)) as string | null,
    incr: (key) => cluster.incr(key),
    close: () => cluster.close(),
  };
}
