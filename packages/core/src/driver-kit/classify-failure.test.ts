import { describe, expect, it } from 'vitest';
import { ConnectError } from '../errors/resilience-errors.js';
import { classifyFailure, connectErrorOf } from './classify-failure.js';

/** An error with the given class name, as a client's own error class makes it. */
function errorOfClass(className: string, message: string, fields: object = {}): Error {
  const named = { [className]: class extends Error {} }[className] as new (message: string) => Error;
  return Object.assign(new named(message), fields);
}

/** An error given a `name` by hand, as redis-errors' `ReplyError` reports its class. */
function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const withCode = (code: string, message = `connect ${code} 127.0.0.1:6379`): Error =>
  Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it('sorts socket, DNS and TLS errors by their code', () => {
    expect(classifyFailure(withCode('ECONNREFUSED'))).toMatchObject({
      reason: 'refused',
      detail: 'connection refused (ECONNREFUSED)',
    });
    expect(classifyFailure(withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere'))).toMatchObject({
      reason: 'dns',
      detail: 'DNS lookup failed (ENOTFOUND: getaddrinfo ENOTFOUND nowhere)',
    });
    expect(classifyFailure(withCode('EAI_AGAIN')).reason).toBe('dns');
    expect(classifyFailure(withCode('ERR_SSL_WRONG_VERSION_NUMBER'))).toMatchObject({
      reason: 'tls',
      detail: 'TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)',
    });
    expect(classifyFailure(withCode('DEPTH_ZERO_SELF_SIGNED_CERT')).reason).toBe('tls');
    expect(classifyFailure(new Error('self-signed certificate in certificate chain')).reason).toBe('tls');
    expect(classifyFailure(withCode('ETIMEDOUT', 'connect ETIMEDOUT'))).toMatchObject({
      reason: 'timeout',
      detail: 'no connection (ETIMEDOUT)',
    });
    expect(classifyFailure(withCode('EHOSTUNREACH')).reason).toBe('timeout');
    expect(classifyFailure(withCode('ECONNRESET'))).toMatchObject({
      reason: 'closed',
      detail: 'the server closed the connection (ECONNRESET)',
    });
    expect(classifyFailure(withCode('EPIPE')).reason).toBe('closed');
  });

  it('keeps the error it was given as the cause', () => {
    const error = withCode('ECONNREFUSED');
    expect(classifyFailure(error).cause).toBe(error);
  });

  it('an auth error reply is auth, from node-redis (SimpleError) or ioredis (ReplyError, named by hand)', () => {
    const ioredis = named('ReplyError', 'WRONGPASS invalid username-password pair');
    expect(classifyFailure(ioredis)).toEqual({
      reason: 'auth',
      detail: 'authentication failed: the server answered WRONGPASS invalid username-password pair',
      cause: ioredis,
    });
    expect(classifyFailure(named('ReplyError', 'NOAUTH Authentication required.')).reason).toBe('auth');
    expect(classifyFailure(errorOfClass('SimpleError', 'NOPERM this user has no permissions')).reason).toBe(
      'auth',
    );
    expect(classifyFailure(errorOfClass('ErrorReply', 'ERR invalid password')).reason).toBe('auth');
  });

  it('an auth-like message that is no error reply is not auth', () => {
    expect(classifyFailure(new Error('WRONGPASS invalid username-password pair')).reason).toBe('other');
  });

  it('another error reply is protocol, worded by the handshake when the driver names one', () => {
    const reply = named('ReplyError', "ERR unknown command 'HELLO'");
    expect(classifyFailure(reply)).toMatchObject({
      reason: 'protocol',
      detail: "the server rejected the connection setup: it replied ERR unknown command 'HELLO'",
    });
    expect(
      classifyFailure(errorOfClass('BlobError', 'NOPROTO unsupported protocol version'), {
        handshake: 'HELLO 3',
      }),
    ).toMatchObject({
      reason: 'protocol',
      detail: 'the server does not answer HELLO 3: it replied NOPROTO unsupported protocol version',
    });
  });

  it('a reply that is not RESP is protocol: node-redis (Unknown RESP type) and ioredis (ParserError)', () => {
    expect(classifyFailure(new Error('Unknown RESP type 72 ("H")'), { handshake: 'HELLO 3' })).toMatchObject({
      reason: 'protocol',
      detail: 'the server does not answer HELLO 3: its reply is not RESP (Unknown RESP type 72 ("H"))',
    });
    expect(
      classifyFailure(errorOfClass('ParserError', 'Protocol error, got "H" as reply type byte')),
    ).toMatchObject({
      reason: 'protocol',
      detail: `the server's reply to the connection setup is not RESP (Protocol error, got "H" as reply type byte)`,
    });
  });

  it('node-redis errors without a code: ConnectionTimeoutError is timeout, SocketClosedUnexpectedlyError closed', () => {
    expect(classifyFailure(errorOfClass('ConnectionTimeoutError', 'Connection timeout'))).toMatchObject({
      reason: 'timeout',
      detail: 'no connection (Connection timeout)',
    });
    expect(
      classifyFailure(errorOfClass('SocketClosedUnexpectedlyError', 'Socket closed unexpectedly')),
    ).toMatchObject({
      reason: 'closed',
      detail: 'the server closed the connection (Socket closed unexpectedly)',
    });
    expect(
      classifyFailure(errorOfClass('SocketTimeoutError', 'Socket timeout timeout. Expecting data')).reason,
    ).toBe('other');
  });

  it("ioredis errors without a code: its timeouts, 'Connection is closed.', MaxRetriesPerRequestError", () => {
    expect(classifyFailure(new Error('Command timed out'))).toMatchObject({
      reason: 'timeout',
      detail: 'no connection (Command timed out)',
    });
    const socketTimeout = "Socket timeout. Expecting data, but didn't receive any in 100ms.";
    expect(classifyFailure(new Error(socketTimeout)).reason).toBe('timeout');
    expect(classifyFailure(new Error('Connection is closed.'))).toMatchObject({
      reason: 'closed',
      detail: 'the server closed the connection (Connection is closed.)',
    });
    const maxRetries = 'Reached the max retries per request limit (which is 20).';
    expect(classifyFailure(errorOfClass('MaxRetriesPerRequestError', maxRetries))).toMatchObject({
      reason: 'closed',
      detail: `the connection kept closing and the client stopped retrying (${maxRetries})`,
    });
  });

  it("judges a wrapper by the error inside: node-redis' ReconnectStrategyError, ioredis' ClusterAllFailedError", () => {
    const socketError = withCode('ECONNREFUSED');
    const strategy = errorOfClass('ReconnectStrategyError', 'reconnect strategy gave up', { socketError });
    expect(classifyFailure(strategy)).toMatchObject({ reason: 'refused', cause: socketError });
    const lastNodeError = withCode('ENOTFOUND');
    const cluster = errorOfClass('ClusterAllFailedError', 'Failed to refresh slots cache.', {
      lastNodeError,
    });
    expect(classifyFailure(cluster)).toMatchObject({ reason: 'dns', cause: lastNodeError });
    const empty = errorOfClass('ClusterAllFailedError', 'Failed to refresh slots cache.');
    expect(classifyFailure(empty)).toMatchObject({ reason: 'other', cause: empty });
  });

  it('anything else is other, with its message (or its class name, or "unknown error")', () => {
    expect(classifyFailure(new Error('None of startup nodes is available'))).toMatchObject({
      reason: 'other',
      detail: 'None of startup nodes is available',
    });
    expect(classifyFailure(errorOfClass('OddError', '')).detail).toBe('OddError');
    expect(classifyFailure('boom').detail).toBe('boom');
    expect(classifyFailure(undefined).detail).toBe('undefined');
  });
});

describe('connectErrorOf', () => {
  it('makes a ConnectError for the address with the reason, detail and cause', () => {
    const reply = named('ReplyError', 'WRONGPASS invalid username-password pair');
    const error = connectErrorOf('127.0.0.1:6379', reply);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ address: '127.0.0.1:6379', reason: 'auth', cause: reply });
    expect(error.message).toBe(
      'redcache: connect 127.0.0.1:6379: authentication failed: the server answered WRONGPASS invalid username-password pair',
    );
  });

  it('passes the wording on', () => {
    const error = connectErrorOf('db:6379', named('ReplyError', 'ERR nope'), { handshake: 'HELLO 3' });
    expect(error.message).toBe(
      'redcache: connect db:6379: the server does not answer HELLO 3: it replied ERR nope',
    );
  });

  it('gives a ConnectError back as it is', () => {
    const already = new ConnectError('db:6379', 'version', 'Redis 6.2.0 is older than 7.0');
    expect(connectErrorOf('other:6379', already)).toBe(already);
  });
});
