import type { RedisOptions } from 'ioredis';

/**
 * How the driver's own connections (a tracking pair's data and subscriber connections, made
 * with `duplicate()` from your client) differ from your client's options. Every one of these
 * keeps a command from running, or its reply from being trusted, where tracking may be off:
 *
 * - no offline queue, no resend after a reconnect, and `maxRetriesPerRequest: 0` (which makes
 *   ioredis reject what was in flight when a connection closes, instead of holding it): a
 *   command never runs on a new connection before the driver has turned tracking on there;
 * - no resubscribe: the driver subscribes each new subscriber connection itself, after
 *   reading its id (a subscribed RESP2 connection cannot run `CLIENT ID`);
 * - no auto-pipelining, no `commandTimeout` or `socketTimeout` (core bounds every round trip
 *   itself, and the liveness check notices a silent connection), no `reconnectOnError`, integers
 *   as numbers, and no `keyPrefix` (the driver refuses a client with one: see
 *   create-ioredis-driver.ts);
 * - `lazyConnect`: the pair connects when the driver starts it.
 */
export const OWN_CONNECTION: Partial<RedisOptions> = {
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  autoResubscribe: false,
  enableAutoPipelining: false,
  stringNumbers: false,
  readOnly: false,
  // Undefined on purpose: `duplicate()` spreads these over your options, and only a key that is
  // present overrides yours.
  commandTimeout: undefined,
  socketTimeout: undefined,
  reconnectOnError: null,
};
