/**
 * The driver seam: the Redis capabilities the engine needs, and nothing else.
 *
 * A driver is a thin adapter over one Redis client. It knows nothing of locks, values,
 * waiting or refresh: that policy lives in core. Core wraps the driver once (see
 * `runtime-driver.ts`): it turns failures into `RedisCommandError`, sends scripts as
 * EVALSHA with an EVAL fallback on NOSCRIPT, and counts Redis errors.
 */

/** An argument of a Redis command: text, or bytes sent verbatim. */
export type RedisArgument = string | Uint8Array;

/**
 * A reply as the engine reads it: a bulk string as bytes, a status as a string, an integer
 * as a number, an array of replies, or null (a missing key, Lua `false`).
 */
export type RedisReply = null | number | string | Uint8Array | readonly RedisReply[];

/** One command to send. `key` is the key the command touches: it routes the command on a cluster. */
export interface RedisCommand {
  /** The key the command touches (for a script, its first key): the cluster routes by its slot. */
  readonly key: string;
  /** The command's name and arguments, as sent: `['SET', key, value, 'PX', '5000']`. */
  readonly args: readonly RedisArgument[];
}

/**
 * What an invalidation listener receives: a key whose value changed, or `null` when every
 * key may have changed (a FLUSHALL, or a lost connection, after which Redis no longer
 * tracks what this client read).
 */
export type InvalidationListener = (key: string | null) => void;

/**
 * A driver's report on its connections (`Driver.onHealth`): `healthy: false` when one was
 * lost or failed a liveness check (`reason`: `'connection'`, `'liveness'`, …), `healthy: true`
 * when one is ready again. The engine opens its breaker on the first, and probes at once on
 * the second (only an answered probe closes it).
 */
export interface DriverHealthEvent {
  /** `false` when a connection was lost or failed a liveness check; `true` when one is ready again. */
  readonly healthy: boolean;
  /**
   * What happened: `'connection'` (a connection was lost: the engine checks Redis before it opens
   * its breaker), `'liveness'` (a failed liveness check: it opens the breaker at once), or any
   * other word a driver chooses (`'ready'`); the engine's logs show it.
   */
  readonly reason: string;
}

/**
 * One server of the deployment, for the commands that act on a server's keyspace rather than
 * on a key (`SCAN`, which `Cache.clear` sends): the one server of a standalone client, or one
 * master of a cluster (see `Driver.nodes`).
 */
export interface DriverNode {
  /** The node's `host:port` (for error messages). */
  readonly address: string;
  /**
   * Sends the commands to this node alone, as one pipeline, whatever keys they name (they are
   * not routed by key). Replies as `Driver.send`: one per command, in order, an `Error` for a
   * command Redis rejects; the promise rejects only when nothing could be sent or read.
   *
   * @param commands - each command's arguments, the command's name first (`['SCAN', '0']`).
   * @returns a reply per command.
   * @throws (rejects with) the client's error when nothing could be sent or read.
   */
  send(commands: ReadonlyArray<readonly RedisArgument[]>): Promise<Array<RedisReply | Error>>;
}

/**
 * A Redis client adapted for the engine. `Client` is the type of the raw client under it (a
 * node-redis client or cluster, say), which `Conn.client` gives back typed; core never looks
 * inside it.
 */
export interface Driver<Client = unknown> {
  /** The raw client, for users who need it (`Conn.client`). */
  readonly client: Client;

  /**
   * Sends the commands as one pipeline (one round trip) and returns a reply per command, in
   * order. A command that Redis rejects yields an `Error` in its place; the promise rejects
   * only when nothing could be sent or read (a lost connection, a closed client).
   *
   * Every read sent here runs on a connection with client tracking on (default mode: RESP3
   * pushes on the same connection, or RESP2 with `REDIRECT` to a subscribed connection), so the
   * keys it reads are reported to the invalidation listeners when they change; and every
   * invalidation a command causes (its own writes' included) is delivered before its reply
   * resolves. The driver never answers a command from a client-side cache: the engine's near
   * cache is the only cache. On a cluster, all commands of one call share a slot (core groups
   * them).
   *
   * @param commands - the pipeline, each command with the key that routes it.
   * @returns a reply per command, in order (an `Error` for a command Redis rejected).
   * @throws (rejects with) the client's error when nothing could be sent or read.
   */
  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>>;

  /**
   * Subscribes to invalidations: every key the server reports as changed, and `null` on a
   * flush or when a tracking connection is lost or reconnects. Returns an unsubscribe function.
   *
   * @param listener - called with each changed key, or `null`.
   * @returns a function that unsubscribes `listener`.
   */
  onInvalidate(listener: InvalidationListener): () => void;

  /**
   * The hash slot of a key (CRC16, 0..16383) on a cluster; 0 for every key on a single server.
   *
   * @param key - a Redis key.
   * @returns its slot.
   */
  slotOf(key: string): number;

  /**
   * Optional. The server (`host:port`) a command on `key` goes to: for error messages
   * (`CommandTimeoutError`, `RedisUnavailableError`), and once per script pipeline to know
   * which server has been sent which scripts. Keep it cheap.
   *
   * @param key - the Redis key of the command.
   * @returns the server's `host:port`.
   */
  serverOf?(key: string): string;

  /**
   * Optional. Subscribes to the driver's reports on its connections (see `DriverHealthEvent`):
   * a lost connection or a failed liveness check opens the Conn's breaker at once, instead of
   * after a failed send or a run of command timeouts. Returns an unsubscribe function.
   *
   * @param listener - called with each report.
   * @returns a function that unsubscribes `listener`.
   */
  onHealth?(listener: (event: DriverHealthEvent) => void): () => void;

  /**
   * Optional. The nodes that hold the keyspace, as the driver knows them now: the one server of
   * a standalone client, every master of a cluster (replicas hold copies: not listed). Each
   * can be sent commands alone (`DriverNode.send`). `Cache.clear` scans each one for its keys
   * and unlinks them there (a command the node redirects goes again through `send`); a driver
   * without `nodes` cannot clear (its views' `clear` rejects with a `TypeError`). Called once
   * per `clear`. A driver that learns its nodes as it connects (a cluster client finding its
   * masters) returns a promise that settles once it knows them, or rejects as its sends would.
   *
   * @returns the nodes, at least one (or a promise of them).
   */
  nodes?(): readonly DriverNode[] | Promise<readonly DriverNode[]>;

  /**
   * Closes the client. Called once, by `Conn.close()`.
   *
   * @returns once the client is closed.
   * @throws (rejects with) what closing the client failed with; `Conn.close` then rejects with it.
   */
  close(): Promise<void>;
}
