import type { ConnectError, Logger } from '@redcache/core';
import { connectErrorOf } from '@redcache/core/internal';
import { checkServers, helloTargets } from './server-check.js';
import { HELLO_3 } from './server-version.js';

/** A node-redis client or cluster, as `fromClient`'s check waits for it to be ready. */
export interface ReadyPort {
  readonly isReady: boolean;
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** A check that runs once a client is ready, and can be cancelled before that. */
export interface ReadyCheck {
  /** Resolves once the server passed; rejects with the `ConnectError` (logged at error) if not. */
  readonly done: Promise<void>;
  /** Stops waiting for a client that never got ready (the Conn is closing). */
  cancel(): void;
}

/**
 * `fromClient`'s check: `HELLO 3` and the version (see `checkServers`) on a client that is
 * ready now, or else on its first ready (`'ready'` for a client, `'connect'` for a cluster),
 * each server given `timeoutMs` to answer. A failure is logged at error, once.
 */
export function checkWhenReady(
  client: ReadyPort,
  cluster: boolean,
  timeoutMs: number,
  logger: Logger,
): ReadyCheck {
  const run = (): Promise<void> =>
    checkServers(client, timeoutMs).catch((error: unknown) => {
      const failure: ConnectError = connectErrorOf(addressesOf(client), error, HELLO_3);
      logger.error(`${failure.message}; every call on this Conn fails with this error as its cause`, {
        op: 'connect',
        server: failure.address,
        address: failure.address,
        reason: failure.reason,
      });
      throw failure;
    });
  if (client.isReady) return { done: run(), cancel: () => {} };
  const event = cluster ? 'connect' : 'ready';
  let onReady: () => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    onReady = () => run().then(resolve, reject);
    client.once(event, onReady);
  });
  return { done, cancel: () => client.off(event, onReady) };
}

function addressesOf(client: unknown): string {
  return helloTargets(client)
    .map((target) => target.address)
    .join(', ');
}
