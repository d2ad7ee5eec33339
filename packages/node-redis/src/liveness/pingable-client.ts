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
 * The client as core's liveness check sees it (see `LivenessCheck`). The PING goes with
 * node-redis' own `timeout`, which only drops a command still waiting to be written (behind a
 * full socket buffer, or queued across a reconnect); once written, the check's timer decides.
 * An `ErrorReply` is an answer: the connection is alive. A client that is not ready is skipped:
 * node-redis reports that itself (see watch-connection.ts).
 */
export function pingableClient(client: PingClient): Pingable {
  return {
    get isReady() {
      return client.isReady;
    },
    ping: (timeoutMs) =>
      client.sendCommand(['PING'], { timeout: timeoutMs }).then(
        () => true,
        (error: unknown) => isErrorReply(error),
      ),
  };
}
