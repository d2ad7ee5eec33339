import { ConnectError } from '@redcache/core';
import { type ConnectFailureWording, connectErrorOf } from '@redcache/core/internal';
import { withDeadline } from './deadline.js';

/** The oldest Redis redcache works with. */
export const MIN_REDIS_MAJOR = 7;

/** How node-redis' connect failures are worded: an error reply is one to `HELLO 3`, which it sends first. */
export const HELLO_3: ConnectFailureWording = { handshake: 'HELLO 3' };

/** Sends one command on a connection: `HELLO 3` here. */
export type SendHello = (args: readonly string[]) => Promise<unknown>;

/**
 * Asks the server at `address` `HELLO 3` (the connection already speaks RESP3, so nothing
 * changes on it) and reads its `version`: resolves for Redis 7.0 or later, else rejects with a
 * `ConnectError` (`'version'` for an older Redis, `'protocol'` for a reply that is no HELLO map,
 * `'timeout'` with no reply within `timeoutMs`, or whatever the client's error says).
 */
export async function checkServerVersion(send: SendHello, address: string, timeoutMs: number): Promise<void> {
  const reply = await withDeadline(
    send(['HELLO', '3']),
    timeoutMs,
    () => new ConnectError(address, 'timeout', `no reply to HELLO 3 within ${timeoutMs} ms`),
  ).catch((error: unknown) => {
    throw connectErrorOf(address, error, HELLO_3);
  });
  const version = versionOf(reply);
  if (version === undefined) {
    throw new ConnectError(
      address,
      'protocol',
      'the server does not answer HELLO 3: its reply names no version',
    );
  }
  const major = Number.parseInt(version, 10);
  if (!(major >= MIN_REDIS_MAJOR)) {
    throw new ConnectError(
      address,
      'version',
      `Redis ${version} is older than ${MIN_REDIS_MAJOR}.0, which redcache needs`,
    );
  }
}

/** The `version` field of a HELLO reply: a map, as node-redis decodes it (an object, a Map, or key/value pairs). */
export function versionOf(reply: unknown): string | undefined {
  let value: unknown;
  if (reply instanceof Map) value = reply.get('version');
  else if (Array.isArray(reply)) value = reply[reply.findIndex((item) => String(item) === 'version') + 1];
  else if (typeof reply === 'object' && reply !== null) value = (reply as Record<string, unknown>).version;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return typeof value === 'string' && value !== '' ? value : undefined;
}
