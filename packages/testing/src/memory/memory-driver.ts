import {
  type Driver,
  type DriverNode,
  type InvalidationListener,
  keySlot,
  type RedisCommand,
  type RedisReply,
} from '@redcache/core';
import { callListener } from './call-listener.js';
import type { Connection } from './connection.js';
import type { MemoryHealthEvent } from './health-event.js';
import { Inbox } from './inbox.js';
import type { ServerState } from './server-state.js';

export type { MemoryHealthEvent } from './health-event.js';

/** What a send gets while the server is down: what a client gets from a refused connection. */
function refused(): Error {
  return Object.assign(new Error('memory driver: connect ECONNREFUSED (the server is down: down())'), {
    code: 'ECONNREFUSED',
  });
}

interface Request {
  readonly commands: readonly RedisCommand[];
  readonly resolve: (replies: Array<RedisReply | Error>) => void;
  readonly reject: (error: Error) => void;
  ready: boolean;
}

/**
 * One connection to a memory Redis, as a redcache `Driver`: what one process's client
 * would be. Commands run in the order sent; replies and invalidation pushes arrive
 * asynchronously, in order, like on a socket (see `inbox.ts`). Faults can be injected:
 * `failNext`, `latency`, `dropConnection`, `pause`, and `down`/`up` (Redis unreachable for a
 * while). Get one with `createMemoryRedis().connect()`.
 */
export class MemoryDriver implements Driver, Connection {
  /** Every pipeline sent, in order, as sent (failed ones too): count round trips and commands. */
  readonly sent: RedisCommand[][] = [];
  readonly #state: ServerState<Connection>;
  readonly #listeners = new Set<InvalidationListener>();
  readonly #healthListeners = new Set<(event: MemoryHealthEvent) => void>();
  readonly #inbox = new Inbox((key) => this.#emit(key));
  readonly #requests: Request[] = [];
  #failures = 0;
  #failure: Error | undefined;
  #latencyMs = 0;
  #closing: Promise<void> | undefined;
  #down = false;

  /** @internal Use `MemoryRedis.connect()`. */
  constructor(state: ServerState<Connection>) {
    this.#state = state;
    state.connections.add(this);
  }

  /** The raw client: this connection (it has the fault injection methods). */
  get client(): MemoryDriver {
    return this;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Sends one pipeline (recorded in `sent`): the commands run in order, at once unless `latency`
   * holds them back, and the replies arrive together, after the pushes produced before them.
   *
   * @param commands - the pipeline (core's `Driver.send`); copied, so the caller may reuse it.
   * @returns one reply per command, in order: a command Redis refuses gives its `Error` there.
   * @throws Error (the promise rejects) once closed, while `down()` (`ECONNREFUSED`), for each
   *   send `failNext` counts, and for a send in flight when the connection is lost.
   */
  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    if (this.#closing !== undefined) return Promise.reject(new Error('memory driver: the client is closed'));
    const copied = commands.map((command) => ({ key: command.key, args: [...command.args] }));
    this.sent.push(copied);
    if (this.#down) return Promise.reject(refused());
    if (this.#failures > 0) {
      this.#failures--;
      return Promise.reject(this.#failure ?? new Error('memory driver: connection failure (failNext)'));
    }
    return new Promise((resolve, reject) => {
      const request: Request = { commands: copied, resolve, reject, ready: this.#latencyMs === 0 };
      this.#requests.push(request);
      if (request.ready) this.#run();
      else
        setTimeout(() => {
          request.ready = true;
          this.#run();
        }, this.#latencyMs);
    });
  }

  /**
   * Subscribes to this connection's invalidation pushes (core's `Driver.onInvalidate`).
   *
   * @param listener - called with each changed key this connection read, or `null` on a flush
   *   or a lost connection; what it throws becomes a process warning.
   * @returns a function that unsubscribes `listener` (this subscription only).
   */
  onInvalidate(listener: InvalidationListener): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry: InvalidationListener = (key) => listener(key);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Reports on the connection (core's optional `Driver.onHealth`): `healthy: false` when
   * `down()` is called, `healthy: true` on `up()`, in order with the pushes and replies.
   *
   * @param listener - called with each report; what it throws becomes a process warning.
   * @returns a function that unsubscribes `listener` (this subscription only).
   */
  onHealth(listener: (event: MemoryHealthEvent) => void): () => void {
    const entry = (event: MemoryHealthEvent) => listener(event);
    this.#healthListeners.add(entry);
    return () => {
      this.#healthListeners.delete(entry);
    };
  }

  /**
   * The hash slot of a key (core's `Driver.slotOf`).
   *
   * @param key - the Redis key.
   * @returns its CRC16 slot when the server is a cluster (`cluster: true`), else 0.
   */
  slotOf(key: string): number {
    return this.#state.cluster ? keySlot(key) : 0;
  }

  /**
   * The one node of the memory Redis (in cluster mode too: one keyspace), sent to on this
   * connection, so faults injected on it apply (core's optional `Driver.nodes`).
   *
   * @returns the one node, `memory`.
   */
  nodes(): readonly DriverNode[] {
    return [
      {
        address: 'memory',
        send: (commands) => this.send(commands.map((args) => ({ key: '', args }))),
      },
    ];
  }

  /**
   * Closes the connection: later sends reject; replies already produced still arrive. Idempotent.
   *
   * @throws nothing: the promise resolves once the replies owed have arrived.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * The next `count` sends reject, as on a connection failure, without reaching the server.
   *
   * @param count - how many sends fail (added to any still pending); default 1.
   * @param error - what they reject with; default an `Error` naming `failNext`.
   */
  failNext(count = 1, error?: Error): void {
    this.#failures += count;
    this.#failure = error;
  }

  /**
   * Delays every later command by `ms` before it reaches the server (order is kept).
   *
   * @param ms - the delay of each send; 0 (or less) turns it off.
   */
  latency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  /**
   * Loses the connection, as a killed socket does: listeners get `null`, the server forgets
   * what this connection tracked, and every send in flight rejects (after the `null`). Its
   * pushes still queued are lost. Later sends use a new connection, tracking nothing.
   */
  dropConnection(): void {
    if (this.#closing !== undefined) return;
    this.#lose(new Error('memory driver: connection lost (dropConnection)'));
  }

  /**
   * Redis is down for this connection until `up()`, as when the server died or the network to
   * it is gone: health listeners get `healthy: false`, invalidation listeners get `null` and the
   * server forgets what this connection tracked (the connection is lost, as `dropConnection`
   * does), every send in flight rejects, no push reaches it, and every later send rejects at
   * once with an `ECONNREFUSED` error, without reaching the server (it is still recorded in
   * `sent`). The keys stay on the server, as a Redis that comes back with its data. Idempotent.
   */
  down(): void {
    if (this.#closing !== undefined || this.#down) return;
    this.#down = true;
    this.#report({ healthy: false, reason: 'connection' });
    this.#lose(new Error('memory driver: connection lost (down())'));
  }

  /** Redis is reachable again: sends reach the server on a new connection, tracking nothing; health listeners get `healthy: true`. */
  up(): void {
    if (!this.#down) return;
    this.#down = false;
    if (this.#closing === undefined) this.#report({ healthy: true, reason: 'connection' });
  }

  /** Whether `down()` holds (until `up()`). */
  get isDown(): boolean {
    return this.#down;
  }

  /** The connection is lost: `null` first, then every reply still owed fails with `error`. */
  #lose(error: Error): void {
    const undelivered = this.#inbox.abandon().map((reply) => reply.fail);
    const unsent = this.#requests.splice(0).map((request) => request.reject);
    this.#state.tracking.forget(this);
    this.#inbox.push({ kind: 'push', key: null });
    for (const fail of [...undelivered, ...unsent]) {
      this.#inbox.push({ kind: 'reply', deliver: () => fail(error), fail });
    }
  }

  /**
   * Holds back everything the server sends this connection (replies and pushes), as a
   * process whose event loop is busy: it reads them all at once, as one chunk, on `resume()`.
   */
  pause(): void {
    this.#inbox.pause();
  }

  /** Delivers everything `pause()` held back, in order, and lets later replies and pushes through. */
  resume(): void {
    this.#inbox.resume();
  }

  /**
   * Whether the server tracks `key` for this connection.
   *
   * @param key - the Redis key.
   * @returns true when a read armed tracking and no change has consumed it since.
   */
  isTracking(key: string): boolean {
    return this.#state.tracking.isTracking(this, key);
  }

  /** @internal The server's way in: an invalidation for this connection. */
  deliver(key: string | null): void {
    if (this.#closing === undefined && !this.#down) this.#inbox.push({ kind: 'push', key });
  }

  #run(): void {
    while (this.#requests[0]?.ready === true) {
      const request = this.#requests.shift()!;
      const replies = this.#state.execute(this, request.commands);
      this.#inbox.push({ kind: 'reply', deliver: () => request.resolve(replies), fail: request.reject });
    }
  }

  #report(event: MemoryHealthEvent): void {
    this.#inbox.push({
      kind: 'event',
      run: () => {
        for (const listener of [...this.#healthListeners]) callListener(() => listener(event));
      },
    });
  }

  async #close(): Promise<void> {
    this.#listeners.clear();
    this.#healthListeners.clear();
    this.#state.detach(this);
    const closed = new Error('memory driver: the client is closed');
    for (const request of this.#requests.splice(0)) request.reject(closed);
    // Replies already produced arrive first, as a graceful close waits for them.
    this.#inbox.resume();
    await new Promise<void>((resolve) =>
      this.#inbox.push({ kind: 'reply', deliver: resolve, fail: () => resolve() }),
    );
  }

  #emit(key: string | null): void {
    for (const listener of [...this.#listeners]) callListener(() => listener(key));
  }
}
