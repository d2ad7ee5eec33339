import { Conn, InvalidOptionsError, type Options } from '@redcache/core';
import { connectTimeoutOf, resolveOptions } from '@redcache/core/internal';
import {
  createClient,
  createCluster,
  type RedisClientOptions,
  type RedisClientType,
  type RedisClusterOptions,
  type RedisClusterType,
  type RedisFunctions,
  type RedisModules,
  type RedisScripts,
  type TypeMapping,
} from '@redis/client';
import { clientAddressOf, rootNodesAddress } from './connect/address.js';
import { gateSends } from './connect/checked-driver.js';
import { ConnectAttempt } from './connect/connect-attempt.js';
import { checkWhenReady, type ReadyPort } from './connect/ready-check.js';
import type { ReconnectStrategy } from './connect/reconnect-strategy.js';
import { checkServers } from './connect/server-check.js';
import { driverFor, type NodeRedisDriverOptions } from './create-node-redis-driver.js';

/**
 * node-redis's default for a client with no modules (`{}`).
 *
 * @inline
 */
// biome-ignore lint/complexity/noBannedTypes: node-redis's own default, so the types match `createClient()`'s.
type NoModules = {};
/**
 * node-redis's default for a client with no functions (`{}`).
 *
 * @inline
 */
// biome-ignore lint/complexity/noBannedTypes: as above.
type NoFunctions = {};
/**
 * node-redis's default for a client with no scripts (`{}`).
 *
 * @inline
 */
// biome-ignore lint/complexity/noBannedTypes: as above.
type NoScripts = {};
/**
 * node-redis's default for a client with no type mapping (`{}`).
 *
 * @inline
 */
// biome-ignore lint/complexity/noBannedTypes: as above.
type NoTypeMapping = {};

const NEEDS_RESP3 = 'RESP must be 3: redcache follows RESP3 invalidation pushes';

type SocketOptions = { reconnectStrategy?: unknown; connectTimeout?: number };

/**
 * Creates a node-redis client that redcache can use (RESP3, `emitInvalidate: true`, or your
 * own `clientSideCache` if you pass one; `maintNotifications: 'disabled'` unless you set it),
 * connects it, checks the server, and opens a `Conn` over it. Your options are passed on to
 * `createClient`. If the options for redcache are
 * invalid, `InvalidOptionsError` is thrown before any connection is made. `driverOptions` are
 * the driver's own (see `createNodeRedisDriver`).
 *
 * Options with `rootNodes` create a cluster instead (`createCluster`, with
 * `defaults: { emitInvalidate: true }` added to your `defaults` unless you pass a
 * `clientSideCache`).
 *
 * Connecting fails fast and says why: it rejects within `driverOptions.connectTimeoutMs`
 * (default 5 000 ms) with a `ConnectError` (`E_CONNECT`) naming the address (a cluster's root
 * nodes) and its `reason`: `'refused'`, `'dns'`, `'tls'`, `'auth'` (a wrong password,
 * NOAUTH, WRONGPASS), `'timeout'`, `'protocol'` (the server does not answer `HELLO 3`: an
 * error reply, or no RESP at all), `'version'` (a Redis older than 7.0, read from `HELLO`'s
 * reply) or `'closed'`. Until then node-redis retries as your `socket.reconnectStrategy`
 * says (its back-off by default), each retry logged at warn through `redcache.logger`; at
 * the deadline the client is destroyed, with no retry, socket or timer left. With
 * `socket: { reconnectStrategy: false }` the first failure rejects at once. Once connected,
 * reconnects follow your strategy (or node-redis's default) as before.
 *
 * The `Conn` is typed with the client it created: `conn.client` is a `RedisClientType` (a
 * `RedisClusterType` for options with `rootNodes`), with your modules, functions, scripts and
 * type mapping, so `conn.client.set('k', 'v')` needs no cast.
 *
 * @param options - `createClient`'s options (`url`, `socket`, …), or `createCluster`'s (`rootNodes`, …).
 * @param redcache - the Conn's options (see `Options`); every length of time is a `Duration` (ms or `'10s'`).
 * @param driverOptions - the driver's own: `connectTimeoutMs` (ms, default 5 000) and `livenessCheck`.
 * @returns the connected `Conn`, its `client` typed as created.
 * @throws InvalidOptionsError (at once, before any socket) for invalid `redcache` or
 *   `driverOptions`, or `RESP: 2`.
 * @throws ConnectError (rejects) naming the address and the `reason`, when no connection
 *   passed the check within `connectTimeoutMs`.
 * @example
 * ```ts
 * const conn = await connect({ url: 'redis://localhost:6379' });
 * await conn.client.set('greeting', 'hello'); // the node-redis client, typed
 * const pages = newStringCache(conn, StringCodec);
 * ```
 */
export function connect<
  M extends RedisModules = NoModules,
  F extends RedisFunctions = NoFunctions,
  S extends RedisScripts = NoScripts,
  T extends TypeMapping = NoTypeMapping,
>(
  options: RedisClusterOptions<M, F, S, 3, T>,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Promise<Conn<RedisClusterType<M, F, S, 3, T>>>;
export function connect<
  M extends RedisModules = NoModules,
  F extends RedisFunctions = NoFunctions,
  S extends RedisScripts = NoScripts,
  T extends TypeMapping = NoTypeMapping,
>(
  options?: RedisClientOptions<M, F, S, 3, T> | { url: string },
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Promise<Conn<RedisClientType<M, F, S, 3, T>>>;
export function connect(
  options?: RedisClientOptions | RedisClusterOptions | { url: string },
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Promise<Conn<RedisClientType | RedisClusterType>>;
export async function connect(
  options?: RedisClientOptions | RedisClusterOptions | { url: string },
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Promise<Conn<unknown>> {
  if ((options as { RESP?: number } | undefined)?.RESP === 2) throw new InvalidOptionsError([NEEDS_RESP3]);
  // Before any socket: with a server that cannot be reached, an options error found only
  // once connected would come too late.
  const { logger } = resolveOptions(redcache);
  const timeoutMs = connectTimeoutOf(driverOptions?.connectTimeoutMs);
  const isCluster = options !== undefined && 'rootNodes' in options;
  const yours = isCluster ? options.defaults?.socket : (options as RedisClientOptions | undefined)?.socket;
  const attempt = new ConnectAttempt(
    isCluster ? rootNodesAddress(options.rootNodes) : clientAddressOf(options as { url?: string }),
    timeoutMs,
    logger,
    (yours as SocketOptions | undefined)?.reconnectStrategy as ReconnectStrategy | undefined,
  );
  const socket = socketOptions(yours as SocketOptions | undefined, attempt);
  const client = isCluster
    ? createCluster(clusterOptions(options, socket))
    : createClient(clientOptions(options as RedisClientOptions | undefined, socket));
  const driver = driverFor(client, driverOptions);
  // A cluster reports a root node that failed only as an 'error' event; a client reports a
  // reply that is not RESP only so. Listening also keeps them from being unhandled.
  const onError = isCluster
    ? (error: unknown) => attempt.failed(error, 'trying the next root node, if any')
    : (error: unknown) => attempt.noted(error);
  client.on('error', onError);
  try {
    await attempt.run(
      async () => {
        await client.connect();
        await checkServers(client, attempt.remainingMs());
      },
      () => driver.close(),
    );
  } finally {
    client.off('error', onError);
  }
  try {
    return Conn.open(driver, redcache);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/** Your socket options with the attempt's strategy, and no TCP connect outliving the deadline. */
function socketOptions(yours: SocketOptions | undefined, attempt: ConnectAttempt): SocketOptions {
  return {
    ...yours,
    reconnectStrategy: attempt.strategy,
    connectTimeout: Math.min(yours?.connectTimeout ?? attempt.timeoutMs, attempt.timeoutMs),
  };
}

/**
 * node-redis' Redis Enterprise maintenance notifications stay off unless you set
 * `maintNotifications`: on RESP3 node-redis defaults to `'auto'`, which keeps a handler that
 * formats every push it receives (each invalidation included) for its debug log, about 5 µs per
 * push, even when the server refused the feature. A connection that Enterprise maintenance
 * moves is then closed and reconnected, which the driver reports like any other loss.
 */
const MAINTENANCE_OFF = { maintNotifications: 'disabled' } as const;

function clientOptions(options: RedisClientOptions | undefined, socket: SocketOptions): RedisClientOptions {
  const result = { ...MAINTENANCE_OFF, ...options, RESP: 3, socket } as RedisClientOptions;
  if (result.clientSideCache === undefined) result.emitInvalidate = true;
  return result;
}

function clusterOptions(options: RedisClusterOptions, socket: SocketOptions): RedisClusterOptions {
  const defaults = { ...MAINTENANCE_OFF, ...options.defaults, socket } as NonNullable<
    RedisClusterOptions['defaults']
  >;
  const result: RedisClusterOptions = { ...options, RESP: 3, defaults };
  if (result.clientSideCache === undefined) result.defaults = { ...result.defaults, emitInvalidate: true };
  return result;
}

/**
 * Opens a `Conn` over a node-redis client or cluster you created (with `emitInvalidate:
 * true` or a `clientSideCache`; see `createNodeRedisDriver`, whose options `driverOptions`
 * are). You connect it, before or after; `Conn.close()` closes it.
 *
 * It checks the server as `connect` does (`HELLO 3`, and a Redis 7.0 or later), on a client
 * that is ready now or else on its first ready, each server given `connectTimeoutMs` to
 * answer. Being synchronous, it returns the Conn at once: its calls wait for the check. If
 * the check fails, the `ConnectError` is logged at error through `redcache.logger`, and every
 * call on the Conn fails (a `RedisCommandError` whose `cause` is that `ConnectError`, then
 * `RedisUnavailableError` while the breaker is open); the client stays as it is until you
 * close the Conn. Invalid options throw `InvalidOptionsError` here, before anything else.
 *
 * The `Conn` is typed with the client you passed, exactly: `conn.client` is your
 * `RedisClientType<…>` or `RedisClusterType<…>`.
 *
 * @param client - a node-redis client or cluster on RESP3, connected or not.
 * @param redcache - the Conn's options (see `Options`); every length of time is a `Duration` (ms or `'10s'`).
 * @param driverOptions - the driver's own: `connectTimeoutMs` (ms, how long the server check waits) and `livenessCheck`.
 * @returns the `Conn`, at once; its calls wait for the server check.
 * @throws InvalidOptionsError for invalid `redcache` or `driverOptions`, or a client that does
 *   not report invalidations (no `emitInvalidate: true` and no `clientSideCache`).
 * @example
 * ```ts
 * const client = createClient({ url, RESP: 3, emitInvalidate: true });
 * const conn = fromClient(client);
 * await client.connect();
 * await conn.client.set('greeting', 'hello'); // the client you passed, typed
 * ```
 */
export function fromClient<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClientType<M, F, S, 3, T>,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Conn<RedisClientType<M, F, S, 3, T>>;
export function fromClient<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClusterType<M, F, S, 3, T>,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Conn<RedisClusterType<M, F, S, 3, T>>;
export function fromClient<
  M extends RedisModules,
  F extends RedisFunctions,
  S extends RedisScripts,
  T extends TypeMapping,
>(
  client: RedisClientType<M, F, S, 3, T> | RedisClusterType<M, F, S, 3, T>,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Conn<RedisClientType<M, F, S, 3, T> | RedisClusterType<M, F, S, 3, T>>;
export function fromClient<C extends object>(
  client: C,
  redcache?: Options,
  driverOptions?: NodeRedisDriverOptions,
): Conn<C> {
  const { logger } = resolveOptions(redcache);
  const timeoutMs = connectTimeoutOf(driverOptions?.connectTimeoutMs);
  const driver = driverFor(client, driverOptions);
  const check = checkWhenReady(client as unknown as ReadyPort, 'masters' in client, timeoutMs, logger);
  try {
    return Conn.open<C>(gateSends(driver, check), redcache);
  } catch (error) {
    check.cancel();
    driver.detach();
    throw error;
  }
}
