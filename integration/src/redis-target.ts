/**
 * Where the integration suites run: a Redis URL (`redis://…`), or a cluster given as
 * `cluster:` followed by the JSON of its root nodes (see `clusterTarget`). A plain string, so
 * it passes through vitest's `provide`/`inject` and a worker's argv unchanged.
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

export const isClusterTarget = (target: RedisTarget): boolean => target.startsWith(CLUSTER_PREFIX);

/** What `connect` from `@redcache/node-redis` takes to reach `target`. */
export function connectOptions(target: RedisTarget): { url: string } | { rootNodes: Array<{ url: string }> } {
  const rootNodes = clusterRootNodes(target);
  return rootNodes === undefined ? { url: target } : { rootNodes };
}

/** `redis-cli` arguments that reach `target` (with `-c`, following redirects, on a cluster). */
export function cliArgs(target: RedisTarget): string[] {
  const rootNodes = clusterRootNodes(target);
  return rootNodes === undefined ? ['-u', target] : ['-c', '-u', rootNodes[0]!.url];
}
