import { type Cluster, type ClusterNode, type NatMap, Redis, type RedisOptions } from 'ioredis';

/** A cluster node's address: where the driver connects. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** `host:port` of a node: how the driver names it (`serverOf`, `DriverNode.address`). */
export function addressOf(node: NodeAddress): string {
  return `${node.host}:${node.port}`;
}

/** What the cluster driver takes from your ioredis `Cluster`. */
export interface ClusterSetup {
  /** Your startup nodes, where the driver first reads the topology. */
  readonly startupNodes: readonly NodeAddress[];
  /** Between two reads of the topology while every pair is up, in ms (your `slotsRefreshInterval`). */
  readonly refreshIntervalMs: number;
  /** How long one read of the topology may take, in ms (your `slotsRefreshTimeout`). */
  readonly refreshTimeoutMs: number;
  /** A standalone client for the node, with your `redisOptions` (auth, TLS, …) and `overrides`. */
  connectionTo(node: NodeAddress, overrides: Partial<RedisOptions>): Redis;
  /** The address to connect to for a node as the cluster names it, through your `natMap`. */
  mapped(node: NodeAddress): NodeAddress;
}

const DEFAULT_REFRESH_INTERVAL_MS = 5_000;
const DEFAULT_REFRESH_TIMEOUT_MS = 1_000;

/** Reads your `Cluster`'s startup nodes and options, without connecting it. */
export function clusterSetupOf(cluster: Cluster): ClusterSetup {
  const options = cluster.options;
  const redisOptions: RedisOptions = { ...options.redisOptions };
  const connectionTo = (node: NodeAddress, overrides: Partial<RedisOptions>): Redis =>
    new Redis({ ...redisOptions, ...overrides, host: node.host, port: node.port });
  const startup = (cluster as unknown as { startupNodes?: ClusterNode[] }).startupNodes ?? [];
  return {
    startupNodes: startup.map((node) => startupAddress(node, redisOptions)),
    refreshIntervalMs: positive(options.slotsRefreshInterval, DEFAULT_REFRESH_INTERVAL_MS),
    refreshTimeoutMs: positive(options.slotsRefreshTimeout, DEFAULT_REFRESH_TIMEOUT_MS),
    connectionTo,
    mapped: (node) => natMapped(options.natMap, node),
  };
}

/** A startup node (a port, a URL, `{ host, port }`) as ioredis itself reads it. */
function startupAddress(node: ClusterNode, redisOptions: RedisOptions): NodeAddress {
  const parsed =
    typeof node === 'object'
      ? new Redis({ ...redisOptions, ...(node as RedisOptions), lazyConnect: true })
      : new Redis(node as string, { ...redisOptions, lazyConnect: true });
  return { host: parsed.options.host ?? '127.0.0.1', port: parsed.options.port ?? 6379 };
}

function natMapped(natMap: NatMap | undefined, node: NodeAddress): NodeAddress {
  if (natMap === undefined) return node;
  const key = addressOf(node);
  const to = typeof natMap === 'function' ? natMap(key) : natMap[key];
  return to ? { host: to.host, port: to.port } : node;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
