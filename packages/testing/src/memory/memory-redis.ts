import type { RedisArgument } from '@redcache/core';
import type { Connection } from './connection.js';
import { MemoryDriver } from './memory-driver.js';
import { ServerState } from './server-state.js';

/** What `createMemoryRedis` takes; every option is optional. */
export interface MemoryRedisOptions {
  /** The server's clock in ms (default `Date.now`, read on every use, so fake timers move it). */
  now?: () => number;
  /** Report CRC16 hash slots from `slotOf` (and refuse a script whose keys span slots), as a cluster would. */
  cluster?: boolean;
}

/** A write from outside every driver: it invalidates, but tracks nothing. */
const OUTSIDER: Connection = { deliver() {} };

/**
 * A Redis in memory, for tests: strings with millisecond expiry, client tracking with
 * invalidation pushes, and the Lua scripts of `@redcache/core` run by JavaScript twins.
 * Each `connect()` is a connection (a process's client); connections share the keys, as
 * processes share a Redis. See the package README for what it does and does not model.
 */
export class MemoryRedis {
  readonly #state: ServerState<Connection>;

  /**
   * An empty server (see `createMemoryRedis`).
   *
   * @param options - the server's clock, and whether it acts as a cluster.
   * @throws nothing: the options are read as given (`cluster` is on only when `true`).
   */
  constructor(options: MemoryRedisOptions = {}) {
    const now = options.now ?? (() => Date.now());
    this.#state = new ServerState<Connection>(now, options.cluster === true);
  }

  /**
   * A new connection: a `Driver` for `Conn.open`.
   *
   * @returns the connection, open, tracking nothing yet.
   * @throws nothing: a memory connection cannot fail to open.
   */
  connect(): MemoryDriver {
    return new MemoryDriver(this.#state);
  }

  /** FLUSHALL: deletes every key; every open connection gets a `null` invalidation. */
  flushAll(): void {
    this.#state.flushAll();
  }

  /** SCRIPT FLUSH: the next EVALSHA of any script gets NOSCRIPT. */
  flushScripts(): void {
    this.#state.scripts.clear();
  }

  /**
   * Expires every key whose time is up, now, and sends the invalidations. Keys also expire
   * on their own (a timer), and before every command; call this after moving a custom clock.
   */
  sweep(): void {
    this.#state.sweep();
  }

  /**
   * Writes a key as another client would (SET, or DEL for `null`), invalidating it for its trackers.
   *
   * @param key - the Redis key, as stored (with any prefix).
   * @param value - the bytes or text to store, or `null` to delete the key.
   * @param options - `pxMs`: the key's expiry in ms (default: none).
   * @throws Error with Redis's reply (`ERR invalid expire time in 'set' command`, `ERR value is
   *   not an integer or out of range`) when `pxMs` is no positive integer.
   */
  write(key: string, value: string | Uint8Array | null, options: { pxMs?: number } = {}): void {
    const args: RedisArgument[] =
      value === null
        ? ['DEL', key]
        : ['SET', key, value, ...(options.pxMs === undefined ? [] : ['PX', String(options.pxMs)])];
    const [reply] = this.#state.execute(OUTSIDER, [{ key, args }]);
    if (reply instanceof Error) throw reply;
  }

  /**
   * The bytes stored at `key` (a copy), without tracking it.
   *
   * @param key - the Redis key, as stored (with any prefix).
   * @returns a copy of the bytes; undefined when the key is missing or expired.
   */
  peek(key: string): Uint8Array | undefined {
    const entry = this.#state.keyspace.get(key, this.#state.now());
    return entry === undefined ? undefined : new Uint8Array(entry.value);
  }

  /**
   * PTTL without tracking.
   *
   * @param key - the Redis key, as stored (with any prefix).
   * @returns the ms left, -1 for a key with no expiry, -2 for a missing key.
   */
  pttl(key: string): number {
    const now = this.#state.now();
    const entry = this.#state.keyspace.get(key, now);
    if (entry === undefined) return -2;
    return entry.expiresAt === undefined ? -1 : Math.max(0, entry.expiresAt - now);
  }

  /**
   * The keys stored now (expired keys are swept first).
   *
   * @returns every live key, in no particular order.
   */
  keys(): string[] {
    this.#state.sweep();
    return [...this.#state.keyspace.keys()];
  }
}

/**
 * A new, empty memory Redis: each `connect()` is a driver for `Conn.open`, sharing its keys.
 *
 * @param options - the server's clock (default `Date.now`), and `cluster` for CRC16 slots.
 * @returns the server.
 * @throws nothing: the options are read as given.
 * @example
 * ```ts
 * const server = createMemoryRedis();
 * const conn = Conn.open(server.connect());
 * const users = newStringCache(conn, StringCodec);
 * await users.get('user:1', '1m', async () => 'Ada');
 * server.keys(); // ['user:1']
 * ```
 */
export function createMemoryRedis(options?: MemoryRedisOptions): MemoryRedis {
  return new MemoryRedis(options);
}
