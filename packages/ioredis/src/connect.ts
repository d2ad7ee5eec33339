import { Conn, ConnectError, type Options } from '@redcache/core';
import { connectErrorOf, connectTimeoutOf, resolveOptions } from '@redcache/core/internal';
import { Redis, type RedisOptions } from 'ioredis';
import { withinMs } from './connect/within-ms.js';
import { driverFor, type IoredisDriverOptions } from './create-ioredis-driver.js';
import { serverAddress } from './standalone/server-address.js';

/**
 * Creates an ioredis client from your options (a URL, or `RedisOptions`), opens the driver's
 * tracking connections next to it (see `createIoredisDriver`), waits until tracking is set
 * up, and opens a `Conn` over it. Your client connects on its first command (`lazyConnect`):
 * redcache never sends on it. `Conn.close()` closes it along with the driver's connections.
 *
 * It rejects within `driverOptions.connectTimeoutMs` (default 5 000 ms) with a `ConnectError`
 * (`E_CONNECT`) naming the address and its `reason` (`'refused'`, `'dns'`, `'tls'`, `'auth'`,
 * `'timeout'`, …); until then ioredis retries as your `retryStrategy` says. At the deadline
 * every connection is dropped, with no retry left.
 *
 * @param options - a `redis://` URL or ioredis's `RedisOptions`.
 * @param redcache - the Conn's options (see `Options`).
 * @param driverOptions - the driver's own: `connectTimeoutMs` and `livenessCheck`.
 * @returns the connected `Conn`; `conn.client` is the ioredis `Redis`.
 * @throws InvalidOptionsError (at once, before any socket) for invalid `redcache` or
 *   `driverOptions`, or a `keyPrefix`.
 * @throws ConnectError (rejects) naming the address and the `reason`.
 * @example
 * ```ts
 * const conn = await connect('redis://localhost:6379');
 * await conn.client.set('greeting', 'hello'); // the ioredis client
 * ```
 */
export async function connect(
  options?: string | RedisOptions,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Promise<Conn<Redis>> {
  resolveOptions(redcache);
  const timeoutMs = connectTimeoutOf(driverOptions?.connectTimeoutMs);
  const client =
    typeof options === 'string'
      ? new Redis(options, { lazyConnect: true })
      : new Redis({ ...options, lazyConnect: true });
  client.on('error', () => {});
  const driver = driverFor(client, driverOptions, { ownsClient: true });
  const address = serverAddress(client);
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
 * Opens a `Conn` over an ioredis client you created: the driver opens its own tracking
 * connections from it (`duplicate()`), and never sends on yours. Being synchronous, it
 * returns the Conn at once: its calls wait until tracking is set up (each bounded by the
 * Conn's `commandTimeoutMs`). `Conn.close()` closes the driver's connections, not your client.
 *
 * @param client - an ioredis `Redis`, connected or not.
 * @param redcache - the Conn's options (see `Options`).
 * @param driverOptions - the driver's own: `livenessCheck`.
 * @returns the `Conn`, at once; `conn.client` is your client.
 * @throws InvalidOptionsError for invalid `redcache` or `driverOptions`, or a client with a `keyPrefix`.
 * @example
 * ```ts
 * const client = new Redis(url);
 * const conn = fromClient(client);
 * ```
 */
export function fromClient(
  client: Redis,
  redcache?: Options,
  driverOptions?: IoredisDriverOptions,
): Conn<Redis> {
  resolveOptions(redcache);
  const driver = driverFor(client, driverOptions);
  try {
    return Conn.open(driver, redcache);
  } catch (error) {
    void driver.close();
    throw error;
  }
}
