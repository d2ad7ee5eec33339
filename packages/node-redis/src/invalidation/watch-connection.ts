import type { ClientPort } from '../client/client-port.js';

/** The client events after which Redis may have forgotten what this connection tracks. */
const CONNECTION_EVENTS = ['error', 'reconnecting', 'end', 'ready'] as const;

/** Which of them: `'ready'`, or one that lost the connection. */
export type ConnectionEvent = (typeof CONNECTION_EVENTS)[number];

/**
 * Calls `onLost` whenever the client's connection fails, reconnects, ends or becomes ready,
 * with the event. node-redis reports none of these as an invalidation, but each one means the
 * server may have dropped this connection's tracking table (a new connection starts with
 * none), so any key read before may have changed unseen. The first `'ready'` is reported too:
 * nothing is tracked yet then, so it costs nothing. Returns a function that removes the listeners.
 *
 * Attaching an `'error'` listener also keeps a connection error from crashing the process,
 * as an unhandled `'error'` event would.
 */
export function watchConnection(client: ClientPort, onLost: (event: ConnectionEvent) => void): () => void {
  const listeners = CONNECTION_EVENTS.map((event) => [event, () => onLost(event)] as const);
  for (const [event, listener] of listeners) client.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) client.off(event, listener);
  };
}
