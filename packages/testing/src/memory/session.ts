import type { Entry, Keyspace } from './keyspace.js';
import type { TrackingTable } from './tracking-table.js';

/** What a session needs of its server. */
export interface SessionHost<C> {
  readonly keyspace: Keyspace;
  readonly tracking: TrackingTable<C>;
  /** Scripts the server has seen by EVAL: SHA-1 → source. */
  readonly scripts: Map<string, string>;
  readonly cluster: boolean;
  /** Tells every connection tracking `key` that it changed, and stops their tracking of it. */
  invalidate(key: string): void;
}

/**
 * One connection's commands as the server runs them: at one instant (`now` does not move
 * during a pipeline, as time stands still in a Redis script), with every read tracked for
 * the connection and every change invalidating the key for everyone who tracks it, the
 * connection itself included (no NOLOOP).
 */
export class Session<C> {
  readonly now: number;
  readonly #host: SessionHost<C>;
  readonly #connection: C;

  constructor(host: SessionHost<C>, connection: C, now: number) {
    this.#host = host;
    this.#connection = connection;
    this.now = now;
  }

  get cluster(): boolean {
    return this.#host.cluster;
  }

  get scripts(): Map<string, string> {
    return this.#host.scripts;
  }

  /** A read: the key's entry, and the connection tracks the key from now on (present or not). */
  read(key: string): Entry | undefined {
    const entry = this.lookup(key);
    this.#host.tracking.track(this.#connection, key);
    return entry;
  }

  /** A look at the key on behalf of a write command: not tracked. */
  lookup(key: string): Entry | undefined {
    return this.#host.keyspace.get(key, this.now);
  }

  write(key: string, value: Uint8Array, expiresAt: number | undefined): void {
    this.#host.keyspace.set(key, value, expiresAt);
    this.#host.invalidate(key);
  }

  /** Deletes a key; only an existing key counts as a change. */
  remove(key: string): boolean {
    if (this.lookup(key) === undefined) return false;
    this.#host.keyspace.delete(key);
    this.#host.invalidate(key);
    return true;
  }

  /** One `SCAN` step over the keyspace (see `Keyspace.scan`); nothing is tracked. */
  scan(cursor: number, count: number): { cursor: number; keys: string[] } {
    return this.#host.keyspace.scan(cursor, count, this.now);
  }

  /** Sets the deadline of an existing key (a deadline not in the future deletes it, as PEXPIRE does). */
  expire(key: string, expiresAt: number): boolean {
    const entry = this.lookup(key);
    if (entry === undefined) return false;
    if (expiresAt <= this.now) return this.remove(key);
    this.write(key, entry.value, expiresAt);
    return true;
  }
}
