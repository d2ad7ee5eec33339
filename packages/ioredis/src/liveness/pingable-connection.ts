import type { Pingable } from '@redcache/core/internal';
import type { Redis } from 'ioredis';
import { isReplyError } from '../pipeline/reply-error.js';

/**
 * An ioredis connection as the liveness check sees it: ready only in ioredis's `ready`
 * status; a PING answered (an error reply is an answer too). The driver's connections have no
 * offline queue, so a PING never waits for a reconnect.
 */
export function pingableConnection(connection: Redis): Pingable {
  return {
    get isReady() {
      return connection.status === 'ready';
    },
    ping: () =>
      connection.call('PING').then(
        () => true,
        (error: unknown) => isReplyError(error),
      ),
  };
}
