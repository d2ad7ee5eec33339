import { resolveOptions } from './config/resolve-options.js';
import type { Driver } from './driver.js';
import { Engine } from './engine/engine.js';
import type { Options } from './options.js';

const engines = new WeakMap<Conn, Engine>();

/**
 * A connection: one driver (one Redis client), its invalidation stream, its near cache and
 * its locks. Derive typed views from it with `newCache`, `newStringCache`, `newBytesCache`.
 *
 * `Client` is the type of the raw client under it, as the driver gives it: `connect` and
 * `fromClient` of `@redcache/node-redis` return a `Conn` typed with the node-redis client or
 * cluster, so `conn.client.set(…)` needs no cast. Every `Conn<…>` is a `Conn` (`Conn<unknown>`),
 * which is what the view factories take.
 */
export class Conn<Client = unknown> {
  readonly #engine: Engine;

  private constructor(engine: Engine) {
    this.#engine = engine;
    engines.set(this, engine);
  }

  /**
   * Opens a connection over a driver. No I/O happens here: the driver's client connects as
   * its adapter says (see `connect` in `@redcache/node-redis`).
   *
   * @param driver - the driver over one Redis client (for example `createNodeRedisDriver(client)`).
   * @param options - the connection's options (see `Options`); every length of time is a `Duration`.
   * @returns the connection, typed with the driver's client.
   * @throws InvalidOptionsError naming every wrong option.
   * @throws TypeError when `driver` is not a driver.
   * @example
   * ```ts
   * const conn = Conn.open(createNodeRedisDriver(client), { lockTTLMs: '10s' });
   * ```
   */
  static open<Client = unknown>(driver: Driver<Client>, options?: Options): Conn<Client> {
    const resolved = resolveOptions(options);
    if (typeof driver !== 'object' || driver === null || typeof driver.send !== 'function') {
      throw new TypeError('redcache: Conn.open needs a driver (for example createNodeRedisDriver(client))');
    }
    return new Conn<Client>(new Engine(driver, resolved));
  }

  /**
   * The raw client under the driver, for what the library does not do.
   *
   * @returns the driver's client, as its type (`Client`) says.
   */
  get client(): Client {
    return this.#engine.driver.client as Client;
  }

  /**
   * Closes the connection: pending calls reject with `ClosedError`, loaders' signals abort,
   * locks held by this process are released, the client is closed. Idempotent. Work in flight
   * is given about 1 s to end and release its locks before the driver closes (node-redis's
   * driver then gives pending replies at most 1 s more).
   *
   * @returns a promise that settles once the client is closed.
   * @throws nothing of its own: it rejects only if the driver's `close` rejects (node-redis's
   *   does not). Calls made after it reject with `ClosedError`.
   * @example
   * ```ts
   * process.once('SIGTERM', () => void conn.close());
   * ```
   */
  close(): Promise<void> {
    return this.#engine.close();
  }
}

/**
 * The engine behind a connection (internal to the package).
 *
 * @param conn - a connection from `Conn.open`, of any client type.
 * @returns its engine.
 * @throws TypeError when `conn` is no such connection.
 */
export function engineOf(conn: Conn): Engine {
  const engine = conn instanceof Conn ? engines.get(conn) : undefined;
  if (engine === undefined) throw new TypeError('redcache: expected a Conn from Conn.open');
  return engine;
}
