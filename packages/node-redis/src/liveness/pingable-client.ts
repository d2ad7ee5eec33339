import type { Pingable } from '@redcache/core/internal';
import type { RedisArgument } from '@redis/client';
import { isErrorReply } from '../pipeline/is-error-reply.js';

/** What the liveness check needs of a node-redis client (any `ClientPort` has it). */
export interface PingClient {
  readonly isReady: boolean;
  sendCommand(
    args: readonly RedisArgument[],
    options?: { typeMapping?: object; timeout?: number },
  ): Promise<unknown>;
}

/**
 * The client as core's liveness check sees it (see `LivenessCheck`): the check's own timer
 * decides, from the moment the PING is written. The PING goes without node-redis' `timeout`:
 * that timer starts when the command is queued, and node-redis writes in `setImmediate`, so
 * after a block of the event loop in the same tick it fires (timers run first) and drops the
 * PING before it was ever written — a failed check for the process's own stall. An
 * `ErrorReply` is an answer: the connection is alive. A client that is not ready is skipped:
 * node-redis reports that itself (see watch-connection.ts).
 */
export function pingableClient(client: PingClient): Pingable {
  return {
    get isReady() {
      return client.isReady;
    },
    ping: () =>
      client.sendCommand(['PING']).then(
        () => true,
        (error: unknown) => isErrorReply(error),
      ),
  };
}
