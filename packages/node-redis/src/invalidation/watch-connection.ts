import type { ClientPort } from '../client/client-port.js';

/** The client events after which Redis may have forgotten what this connection tracks. */
const CONNECTION_EVENTS = ['error', 'reconnecting', 'end', 'ready'] as const;

/**
 * Calls `onLost` whenever the client's connection fails, reconnects, ends or becomes ready.
 * node-redis reports none of these as an invalidation, but each one means the server may
 * have dropped this connection's tracking table (a new connection starts with none), so any
 * key read before may have changed unseen. The first `'ready'` is reported too: nothing is
 * tracked yet then, so it costs nothing. Returns a function that removes the listeners.
 *
 * Attaching an `'error'` listener also keeps a connection error from crashing the process,
 * as an unhandled `'error'` event would.
 */
export function watchConnection(client: ClientPort, onLost: () => void): () => void {
  const listener = () => onLost();
  for (const event of CONNECTION_EVENTS) client.on(event, listener);
  return () => {
    for (const event of CONNECTION_EVENTS) client.off(event, listener);
  };
}
