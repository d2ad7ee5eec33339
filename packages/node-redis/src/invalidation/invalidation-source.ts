import { InvalidOptionsError } from '@redcache/core';
import type { ClientPort } from '../client/client-port.js';

/** Where a client reports invalidated keys: `Buffer` keys, `null` for a flush. */
export type InvalidationSource = ClientPort['clientSideCache'] & object;

export const NEEDS_INVALIDATION_EVENTS =
  'the node-redis client must use RESP3 and report invalidations: create it with ' +
  'createClient({ RESP: 3, emitInvalidate: true }) (or with a clientSideCache), or use connect() ' +
  'from @redcache/node-redis, which does that for you';

/**
 * Finds the emitter of a client's `'invalidate'` events: the client itself when it was
 * created with `emitInvalidate: true`, else its `clientSideCache`. Throws
 * `InvalidOptionsError` for a RESP2 client or one with neither.
 */
export function invalidationSource(client: ClientPort): InvalidationSource {
  const options = client.options;
  if (options?.RESP === 2) {
    throw new InvalidOptionsError([`the client uses RESP2; ${NEEDS_INVALIDATION_EVENTS}`]);
  }
  if (options?.emitInvalidate === true) return client;
  if (client.clientSideCache !== undefined) return client.clientSideCache;
  throw new InvalidOptionsError([NEEDS_INVALIDATION_EVENTS]);
}
