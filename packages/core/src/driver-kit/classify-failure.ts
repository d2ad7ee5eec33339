import { ConnectError, type ConnectFailure } from '../errors/resilience-errors.js';

/** Why one connection attempt failed, as `ConnectError` names it: the reason, a detail for its message, the client's error. */
export interface ConnectFailureDetail {
  readonly reason: ConnectFailure;
  readonly detail: string;
  readonly cause: unknown;
}

/** How a driver words the failures it is given: what it sends first on a new connection. */
export interface ConnectFailureWording {
  /**
   * The command the driver sets a connection up with (`'HELLO 3'` for node-redis): an error
   * reply reads "the server does not answer HELLO 3: it replied …". Left out, it reads
   * "the server rejected the connection setup: it replied …".
   */
  readonly handshake?: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
const AUTH_REPLY =
  /^(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password|AUTH.*without any password configured/i;
/** node-redis' error replies (`SimpleError`, `BlobError`, their base `ErrorReply`) and ioredis' (`ReplyError`, from redis-errors). */
const ERROR_REPLIES = ['SimpleError', 'BlobError', 'ErrorReply', 'ReplyError'];
/** ioredis' answer to a command on a connection it has given up on (or closed). */
const CONNECTION_CLOSED = 'Connection is closed.';
/**
 * ioredis' own timeouts: `commandTimeout`, and `socketTimeout` while waiting for a reply
 * (node-redis' `SocketTimeoutError`, "Socket timeout timeout.", is not one of them: it stays `'other'`).
 */
const CLIENT_TIMEOUT = /^(Command timed out$|Socket timeout\. Expecting data)/;

/**
 * Sorts a client's (or a socket's) connect-time error into a `ConnectError` reason, with a
 * detail for its message. Knows node-redis' and ioredis' errors as well as Node's socket, DNS
 * and TLS codes; the errors either client wraps (node-redis' `ReconnectStrategyError`,
 * ioredis' `ClusterAllFailedError`) are judged by the error inside. `wording.handshake` names
 * the command a server that replies with an error (or not in RESP) failed to answer.
 */
export function classifyFailure(error: unknown, wording: ConnectFailureWording = {}): ConnectFailureDetail {
  const cause = unwrap(error);
  const names = namesOf(cause);
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const message = cause instanceof Error ? cause.message : String(cause);
  const failure = (reason: ConnectFailure, detail: string): ConnectFailureDetail => ({
    reason,
    detail,
    cause,
  });
  if (code === 'ECONNREFUSED') return failure('refused', `connection refused (${code})`);
  if (DNS_CODES.has(code)) return failure('dns', `DNS lookup failed (${code}: ${message})`);
  if (isTls(code, message)) return failure('tls', `TLS handshake failed (${code || message})`);
  const errorReply = ERROR_REPLIES.some((name) => names.has(name));
  if (errorReply && AUTH_REPLY.test(message)) {
    return failure('auth', `authentication failed: the server answered ${message}`);
  }
  if (errorReply) return failure('protocol', `${rejected(wording)}: it replied ${message}`);
  if (message.startsWith('Unknown RESP type') || names.has('ParserError')) {
    return failure('protocol', notResp(wording, message));
  }
  if (names.has('ConnectionTimeoutError') || TIMEOUT_CODES.has(code) || CLIENT_TIMEOUT.test(message)) {
    return failure('timeout', `no connection (${code || message})`);
  }
  if (names.has('SocketClosedUnexpectedlyError') || CLOSED_CODES.has(code) || message === CONNECTION_CLOSED) {
    return failure('closed', `the server closed the connection (${code || message})`);
  }
  if (names.has('MaxRetriesPerRequestError')) {
    return failure('closed', `the connection kept closing and the client stopped retrying (${message})`);
  }
  return failure('other', message || [...names][0] || 'unknown error');
}

/**
 * A `ConnectError` for `address` from a client's error (sorted by `classifyFailure`, worded
 * by `wording`), or the error itself if it is one already.
 */
export function connectErrorOf(
  address: string,
  error: unknown,
  wording: ConnectFailureWording = {},
): ConnectError {
  if (error instanceof ConnectError) return error;
  const { reason, detail, cause } = classifyFailure(error, wording);
  return new ConnectError(address, reason, detail, cause);
}

/**
 * The error a wrapper carries: node-redis' `ReconnectStrategyError` (what ended its retries)
 * holds the socket's error, ioredis' `ClusterAllFailedError` the last node's.
 */
function unwrap(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const names = namesOf(error);
  const inner = names.has('ReconnectStrategyError')
    ? (error as { socketError?: unknown }).socketError
    : names.has('ClusterAllFailedError')
      ? (error as { lastNodeError?: unknown }).lastNodeError
      : undefined;
  return inner ?? error;
}

/** An error's class name and its `name` (which differ for an error given a name by hand). */
function namesOf(cause: unknown): ReadonlySet<string> {
  return cause instanceof Error ? new Set([cause.constructor.name, cause.name]) : new Set();
}

function rejected({ handshake }: ConnectFailureWording): string {
  return handshake === undefined
    ? 'the server rejected the connection setup'
    : `the server does not answer ${handshake}`;
}

function notResp({ handshake }: ConnectFailureWording, message: string): string {
  return handshake === undefined
    ? `the server's reply to the connection setup is not RESP (${message})`
    : `the server does not answer ${handshake}: its reply is not RESP (${message})`;
}

function isTls(code: string, message: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    /SSL routines|wrong version number|certificate/i.test(message)
  );
}
