import { Conn, ConnectError, type Options } from '@redcache/core';
import { connectErrorOf, connectTimeoutOf, resolveOptions } from '@redcache/core/internal';
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { type ClusterDriver, isCluster } from './cluster/cluster-driver.js';
import { addressOf, clusterSetupOf } from './cluster/cluster-setup.js';
import { withinMs } from './connect/within-ms.js';
import { driverFor, type IoredisDriverOptions } from './create-ioredis-driver.js';
import { serverAddress } from './standalone/server-address.js';
import type { StandaloneDriver } from './standalone/standalone-driver.js';

/**
 * `connect`'s first argument for a Redis Cluster: what `new Cluster(cluster, clusterOptions)`
 * takes. The driver reads the topology from these nodes and opens a tracking pair per master
 * with `clusterOptions.redisOptions` (auth, TLS) and `natMap`.
 */
export interface ClusterConnectOptions {
  /**
   * Startup nodes, as ioredis takes them: `{ host, port }`, a port, or a `redis://` URL. One is
   * enough; more let the first read of the topology survive one being down.
   */
  readonly cluster: readonly ClusterNode[];
  /** ioredis's `ClusterOptions` (`redisOptions`, `natMap`, `slotsRefreshInterval`, …). */
  readonly clusterOptions?: ClusterOptions;
}

/**
 * Creates an ioredis client from your options (a URL, `RedisOptions`, or `{ cluster }` for a
 * Redis Cluster), opens the driver's tracking connections next to it (see
 * `createIoredisDriver`), waits until tracking is set up (on a cluster: the topology read and
 * every master's pair established), and opens a `Conn` over it. Your client connects on its
 * first command (`lazyConnect`): redcache never sends on it. `Conn.close()` closes it along
 * with the driver's connections.
 *
 * It rejects within `driverOptions.connectTimeoutMs` (default 5 000 ms) with a `ConnectError`
 * (`E_CONNECT`) naming the address (on a cluster, the startup nodes) and its `reason`
 * (`'refused'`, `'dns'`, `'tls'`, `'auth'`, `'timeout'`, …); until then ioredis retries as your
 * `retryStrategy` says. At the deadline every connection is dropped, with no retry left.
 *
 * @param options - a `redis://` URL, ioredis's `RedisOptions`, or `{ cluster, clusterOptions }`.
 * @param redcache - the Conn's options (see `Options`).
 * @param driverOptions - the driver's own: `connectTimeoutMs` and `livenessCheck`.
 * @returns the connected `Conn`; `conn.client` is the ioredis `Redis` (or `Cluster`).
 * @throws InvalidOptionsError (at once, before any socket) for invalid `redcache` or
 *   `driverOptions`, or a `keyPrefix`.
 * @throws ConnectError (rejects) naming the address and the `reason`.
 * @example
 * ```ts
 * const conn = await connect('redis://localhost:6379');
 * await conn.client.set('greeting', 'hello'); // the ioredis client
 * const clustered = await connect({ cluster: [{ host: '127.0.0.1', port: 7000 }] });
 * await clustered.client.set('greeting', 'hello'); // the ioredis Cluster
 * ```
 */
export async function connect(
  options?: string | RedisOptions,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Promise<Conn<Redis>>;
export async function connect(
  options: ClusterConnectOptions,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Promise<Conn<Cluster>>;
export async function connect(
  options?: string | RedisOptions | ClusterConnectOptions,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Promise<Conn<Redis> | Conn<Cluster>> {
  resolveOptions(redcache);
  const timeoutMs = connectTimeoutOf(driverOptions?.connectTimeoutMs);
  if (isClusterOptions(options)) {
    const client = new Cluster([...options.cluster], { ...options.clusterOptions, lazyConnect: true });
    client.on('error', () => {});
    const driver = driverFor(client, driverOptions, { ownsClient: true });
    const address = clusterSetupOf(client).startupNodes.map(addressOf).join(', ');
    return await opened(driver, address, timeoutMs, redcache);
  }
  const client =
    typeof options === 'string'
      ? new Redis(options, { lazyConnect: true })
      : new Redis({ ...options, lazyConnect: true });
  client.on('error', () => {});
  const driver = driverFor(client, driverOptions, { ownsClient: true });
  return await opened(driver, serverAddress(client), timeoutMs, redcache);
}

/** The Conn over `driver` once it is established; else the driver closed and a `ConnectError`. */
async function opened<C>(
  driver: StandaloneDriver<C> | ClusterDriver<C>,
  address: string,
  timeoutMs: number,
  redcache: Options | undefined,
): Promise<Conn<C>> {
  const established = await withinMs(driver.whenEstablished(), timeoutMs);
  if (!established) {
    const cause = driver.lastError;
    await driver.close();
    throw cause === undefined
      ? new ConnectError(address, 'timeout', `tracking was not set up within ${timeoutMs} ms`)
      : connectErrorOf(address, cause);
  }
  try {
    return Conn.open(driver, redcache);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/**
 * Opens a `Conn` over an ioredis client you created, a `Redis` or a `Cluster`: the driver
 * opens its own tracking connections from it (`duplicate()`; on a cluster, a pair per master
 * with the cluster's `redisOptions`), and never sends on yours. Being synchronous, it returns
 * the Conn at once: its calls wait until tracking is set up (each bounded by the Conn's
 * `commandTimeoutMs`). `Conn.close()` closes the driver's connections, not your client.
 *
 * @param client - an ioredis `Redis` or `Cluster`, connected or not.
 * @param redcache - the Conn's options (see `Options`).
 * @param driverOptions - the driver's own: `livenessCheck`.
 * @returns the `Conn`, at once; `conn.client` is your client.
 * @throws InvalidOptionsError for invalid `redcache` or `driverOptions`, or a client with a `keyPrefix`.
 * @example
 * ```ts
 * const client = new Redis(url);
 * const conn = fromClient(client);
 * const clustered = fromClient(new Cluster([{ host: '127.0.0.1', port: 7000 }]));
 * ```
 */
export function fromClient(
  client: Redis,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Conn<Redis>;
export function fromClient(
  client: Cluster,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Conn<Cluster>;
export function fromClient(
  client: Redis | Cluster,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Conn<Redis> | Conn<Cluster> {
  resolveOptions(redcache);
  const driver = isCluster(client) ? driverFor(client, driverOptions) : driverFor(client, driverOptions);
  try {
    return Conn.open<Redis | Cluster>(driver, redcache) as Conn<Redis> | Conn<Cluster>;
  } catch (error) {
    void driver.close();
    throw error;
  }
}

function isClusterOptions(options: unknown): options is ClusterConnectOptions {
  return typeof options === 'object' && options !== null && 'cluster' in options;
}
