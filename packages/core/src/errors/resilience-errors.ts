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
  readonly address: string;
  readonly reason: ConnectFailure;
  constructor(address: string, reason: ConnectFailure, detail: string, cause?: unknown) {
    super('E_CONNECT', `redcache: connect ${address}: ${detail}`, { op: 'connect', cause });
    this.name = 'ConnectError';
    this.address = address;
    this.reason = reason;
  }
}

/** A Redis round trip got no reply within `commandTimeoutMs`. `server` names the node, when the driver knows it. */
export class CommandTimeoutError extends RedcacheError {
  readonly server: string | undefined;
  readonly timeoutMs: number;
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
  readonly server: string | undefined;
  readonly since: number;
  readonly reason: string;
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
  readonly timeoutMs: number;
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
