import { resolveOptions } from './config/resolve-options.js';
import type { Driver } from './driver.js';
import { Engine } from './engine/engine.js';
import type { Options } from './options.js';

const engines = new WeakMap<Conn, Engine>();

/**
 * A connection: one driver (one Redis client), its invalidation stream, its near cache and
 * its locks. Derive typed views from it with `newCache`, `newStringCache`, `newBytesCache`.
 */
export class Conn {
  readonly #engine: Engine;

  private constructor(engine: Engine) {
    this.#engine = engine;
    engines.set(this, engine);
  }

  /** Opens a connection over a driver. Validates the options; throws `InvalidOptionsError`. */
  static open(driver: Driver, options?: Options): Conn {
    const resolved = resolveOptions(options);
    if (typeof driver !== 'object' || driver === null || typeof driver.send !== 'function') {
      throw new TypeError('redcache: Conn.open needs a driver (for example createNodeRedisDriver(client))');
    }
    return new Conn(new Engine(driver, resolved));
  }

  /** The raw client under the driver, for what the library does not do. */
  get client(): unknown {
    return this.#engine.driver.client;
  }

  /**
   * Closes the connection: pending calls reject with `ClosedError`, loaders' signals abort,
   * locks held by this process are released, the client is closed. Idempotent.
   */
  close(): Promise<void> {
    return this.#engine.close();
  }
}

/** The engine behind a connection (internal to the package). */
export function engineOf(conn: Conn): Engine {
  const engine = conn instanceof Conn ? engines.get(conn) : undefined;
  if (engine === undefined) throw new TypeError('redcache: expected a Conn from Conn.open');
  return engine;
}
