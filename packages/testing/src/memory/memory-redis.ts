import type { RedisArgument } from '@redcache/core';
import type { Connection } from './connection.js';
import { MemoryDriver } from './memory-driver.js';
import { ServerState } from './server-state.js';

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

  constructor(options: MemoryRedisOptions = {}) {
    const now = options.now ?? (() => Date.now());
    this.#state = new ServerState<Connection>(now, options.cluster === true);
  }

  /** A new connection: a `Driver` for `Conn.open`. */
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

  /** Writes a key as another client would (SET, or DEL for `null`), invalidating it for its trackers. */
  write(key: string, value: string | Uint8Array | null, options: { pxMs?: number } = {}): void {
    const args: RedisArgument[] =
      value === null
        ? ['DEL', key]
        : ['SET', key, value, ...(options.pxMs === undefined ? [] : ['PX', String(options.pxMs)])];
    const [reply] = this.#state.execute(OUTSIDER, [{ key, args }]);
    if (reply instanceof Error) throw reply;
  }

  /** The bytes stored at `key` (a copy), without tracking it; undefined when missing or expired. */
  peek(key: string): Uint8Array | undefined {
    const entry = this.#state.keyspace.get(key, this.#state.now());
    return entry === undefined ? undefined : new Uint8Array(entry.value);
  }

  /** PTTL without tracking: ms left, -1 for no expiry, -2 for a missing key. */
  pttl(key: string): number {
    const now = this.#state.now();
    const entry = this.#state.keyspace.get(key, now);
    if (entry === undefined) return -2;
    return entry.expiresAt === undefined ? -1 : Math.max(0, entry.expiresAt - now);
  }

  /** The keys stored now (expired keys are swept first). */
  keys(): string[] {
    this.#state.sweep();
    return [...this.#state.keyspace.keys()];
  }
}

/** A new, empty memory Redis. */
export function createMemoryRedis(options?: MemoryRedisOptions): MemoryRedis {
  return new MemoryRedis(options);
}
