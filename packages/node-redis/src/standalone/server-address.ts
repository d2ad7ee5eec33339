/** The part of a node-redis client's resolved options that says where it connects. */
interface ConnectsTo {
  readonly options?:
    | {
        readonly socket?:
          | { readonly host?: unknown; readonly port?: unknown; readonly path?: unknown }
          | undefined;
      }
    | undefined;
}

/**
 * The server a client talks to, as `host:port` (or its socket path), read from the options
 * node-redis resolved (it parses a `url` into `socket`). node-redis's defaults: localhost:6379.
 */
export function serverAddress(client: object): string {
  const socket = (client as ConnectsTo).options?.socket;
  if (typeof socket?.path === 'string') return socket.path;
  const host = typeof socket?.host === 'string' ? socket.host : 'localhost';
  const port = typeof socket?.port === 'number' ? socket.port : 6379;
  return `${host}:${port}`;
}
