import { describeKey, messageOf, RedcacheError } from './errors.js';

/** Why a connection could not be made (`ConnectError.reason`). */
export type ConnectFailure =
  | 'refused'
  | 'dns'
  | 'tls'
  | 'auth'
  | 'timeout'
  | 'protocol'
  | 'version'
  | 'closed'
  | 'other';

/**
 * `connect` (or `fromClient`'s check) could not reach a usable Redis: `address` is the server
 * (`host:port`), `reason` what went wrong, `cause` the client's own error when there is one.
 */
export class ConnectError extends RedcacheError {
  /** The server tried (`host:port`), or the cluster's seed list. */
  readonly address: string;
  /** What went wrong: `refused`, `dns`, `tls`, `auth`, `timeout`, `protocol`, `version`, `closed` or `other`. */
  readonly reason: ConnectFailure;
  /**
   * @param address - the server tried (`host:port`).
   * @param reason - what went wrong.
   * @param detail - the message after the address: what went wrong and what to check.
   * @param cause - the client's own error, when there is one.
   */
  constructor(address: string, reason: ConnectFailure, detail: string, cause?: unknown) {
    super('E_CONNECT', `redcache: connect ${address}: ${detail}`, { op: 'connect', cause });
    this.name = 'ConnectError';
    this.address = address;
    this.reason = reason;
  }
}

/** A Redis round trip got no reply within `commandTimeoutMs`. `server` names the node, when the driver knows it. */
export class CommandTimeoutError extends RedcacheError {
  /** The node (`host:port`) that did not reply, when the driver knows it. */
  readonly server: string | undefined;
  /** How long the round trip was given, in milliseconds (`commandTimeoutMs`). */
  readonly timeoutMs: number;
  /**
   * @param op - the operation that sent the command.
   * @param key - the key, as the caller gave it (or the Redis key).
   * @param timeoutMs - how long the round trip was given, in milliseconds.
   * @param server - the node (`host:port`), when the driver knows it.
   */
  constructor(op: string, key: unknown, timeoutMs: number, server?: string) {
    super(
      'E_TIMEOUT',
      `redcache: ${op} key ${describeKey(key)}: Redis${server === undefined ? '' : ` ${server}`} did not reply: timed out after ${timeoutMs} ms`,
      { op, key },
    );
    this.name = 'CommandTimeoutError';
    this.server = server;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The Conn's breaker is open: Redis was found down (a lost connection, a failed liveness check,
 * or a run of timeouts) and has not answered a probe since. Calls that need Redis fail at once
 * with this until it does. `since` is when it went down (`Date.now()` ms), `reason` why.
 */
export class RedisUnavailableError extends RedcacheError {
  /** The server (`host:port`) found down, when the driver knows it. */
  readonly server: string | undefined;
  /** When Redis was found down: epoch milliseconds (`Date.now()`). */
  readonly since: number;
  /** Why the breaker opened (for example a lost connection or a run of timeouts). */
  readonly reason: string;
  /**
   * @param op - the call refused.
   * @param key - its key, as the caller gave it.
   * @param reason - why the breaker opened.
   * @param since - when Redis was found down, epoch milliseconds.
   * @param server - the server (`host:port`), when the driver knows it.
   * @param cause - the error that opened the breaker, when there is one.
   */
  constructor(op: string, key: unknown, reason: string, since: number, server?: string, cause?: unknown) {
    super(
      'E_UNAVAILABLE',
      `redcache: ${op} key ${describeKey(key)}: Redis${server === undefined ? '' : ` ${server}`} is unavailable since ${new Date(since).toISOString()} (${reason})${cause === undefined ? '' : `: ${messageOf(cause)}`}`,
      { op, key, cause },
    );
    this.name = 'RedisUnavailableError';
    this.server = server;
    this.since = since;
    this.reason = reason;
  }
}

/** A loader ran past its hard timeout (`loaderTimeout.hardMs`): its callers reject, its signal aborts. */
export class LoaderTimeoutError extends RedcacheError {
  /** The loader's hard timeout, in milliseconds (`loaderTimeout.hardMs`). */
  readonly timeoutMs: number;
  /**
   * @param op - the call whose loader timed out (`get`, `getMulti`, `set`, …).
   * @param key - the key (or keys) being loaded, as the caller gave them.
   * @param timeoutMs - the hard timeout, in milliseconds.
   */
  constructor(op: string, key: unknown, timeoutMs: number) {
    super(
      'E_LOADER_TIMEOUT',
      `redcache: ${op} key ${describeKey(key)}: loader timed out after ${timeoutMs} ms`,
      {
        op,
        key,
      },
    );
    this.name = 'LoaderTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}
