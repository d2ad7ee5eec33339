import { ConnectError, type ConnectFailure } from '@redcache/core';

/** Why one connection attempt failed, as `ConnectError` names it. */
export interface Failure {
  readonly reason: ConnectFailure;
  readonly detail: string;
  readonly cause: unknown;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
const AUTH_REPLY =
  /^(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password|AUTH.*without any password configured/i;

/** Sorts a node-redis (or socket) error into a `ConnectError` reason, with a detail for its message. */
export function classifyFailure(error: unknown): Failure {
  const cause = unwrap(error);
  const name = cause instanceof Error ? cause.constructor.name : '';
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const message = cause instanceof Error ? cause.message : String(cause);
  const failure = (reason: ConnectFailure, detail: string): Failure => ({ reason, detail, cause });
  if (code === 'ECONNREFUSED') return failure('refused', `connection refused (${code})`);
  if (DNS_CODES.has(code)) return failure('dns', `DNS lookup failed (${code}: ${message})`);
  if (isTls(code, message)) return failure('tls', `TLS handshake failed (${code || message})`);
  if (isErrorReply(name) && AUTH_REPLY.test(message)) {
    return failure('auth', `authentication failed: the server answered ${message}`);
  }
  if (isErrorReply(name))
    return failure('protocol', `the server does not answer HELLO 3: it replied ${message}`);
  if (message.startsWith('Unknown RESP type')) {
    return failure('protocol', `the server does not answer HELLO 3: its reply is not RESP (${message})`);
  }
  if (name === 'ConnectionTimeoutError' || TIMEOUT_CODES.has(code)) {
    return failure('timeout', `no connection (${code || message})`);
  }
  if (name === 'SocketClosedUnexpectedlyError' || CLOSED_CODES.has(code)) {
    return failure('closed', `the server closed the connection (${code || message})`);
  }
  return failure('other', message || name || 'unknown error');
}

/** A `ConnectError` for `address` from a client's error, or the error itself if it is one already. */
export function connectErrorOf(address: string, error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const { reason, detail, cause } = classifyFailure(error);
  return new ConnectError(address, reason, detail, cause);
}

/** node-redis wraps what ended its retries (`ReconnectStrategyError`): the socket's own error is its cause. */
function unwrap(error: unknown): unknown {
  if (error instanceof Error && error.constructor.name === 'ReconnectStrategyError') {
    return (error as { socketError?: unknown }).socketError ?? error;
  }
  return error;
}

function isErrorReply(name: string): boolean {
  return name === 'SimpleError' || name === 'BlobError' || name === 'ErrorReply';
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
