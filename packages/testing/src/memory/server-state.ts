import type { RedisCommand, RedisReply } from '@redcache/core';
import { MAX_TIMER_MS } from '@redcache/core/internal';
import type { Connection } from './connection.js';
import { Keyspace } from './keyspace.js';
import { runCommand } from './run-command.js';
import { Session, type SessionHost } from './session.js';
import { TrackingTable } from './tracking-table.js';

/**
 * The state of one memory Redis, shared by its connections: keys, tracking, scripts. Every
 * pipeline runs whole and at once (nothing interleaves, as on Redis's single thread), after
 * the keys whose time is up have expired. A timer, `unref`'d, also expires keys when their
 * time comes, so trackers hear of an expiry without any command being sent.
 */
export class ServerState<C extends Connection> implements SessionHost<C> {
  readonly keyspace = new Keyspace((key) => this.invalidate(key));
  readonly tracking = new TrackingTable<C>();
  readonly scripts = new Map<string, string>();
  readonly connections = new Set<C>();
  readonly cluster: boolean;
  readonly now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt: number | undefined;

  constructor(now: () => number, cluster: boolean) {
    this.now = now;
    this.cluster = cluster;
  }

  /** Runs a pipeline for `connection`: a reply per command, an `Error` for an error reply. */
  execute(connection: C, commands: readonly RedisCommand[]): Array<RedisReply | Error> {
    const now = this.now();
    this.keyspace.sweep(now);
    const session = new Session(this, connection, now);
    const replies = commands.map((command) => {
      try {
        return runCommand(session, command.args);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    this.#scheduleSweep();
    return replies;
  }

  invalidate(key: string): void {
    for (const connection of this.tracking.take(key)) connection.deliver(key);
  }

  /** FLUSHALL: every key goes, and every connection gets a `null` invalidation. */
  flushAll(): void {
    this.keyspace.clear();
    this.tracking.clear();
    this.#scheduleSweep();
    for (const connection of this.connections) connection.deliver(null);
  }

  /** Expires every key whose time is up, now. */
  sweep(): void {
    this.keyspace.sweep(this.now());
    this.#scheduleSweep();
  }

  detach(connection: C): void {
    this.tracking.forget(connection);
    this.connections.delete(connection);
  }

  #scheduleSweep(): void {
    const next = this.keyspace.nextDeadline();
    if (next !== undefined && this.#timerAt !== undefined && this.#timerAt <= next) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (next === undefined) return;
    // A key expires once the clock is past its deadline: one millisecond after it. A deadline
    // past the longest timer is reached in steps (a longer timer would fire at once, forever).
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = undefined;
        this.sweep();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, next - this.now()) + 1),
    );
    this.#timer.unref?.();
  }
}
