/** Where a client connects, as node-redis keeps it (`client.options.socket`, with a `url` parsed into it). */
export interface SocketAddress {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly path?: string | undefined;
}

/** A root node of a cluster, as `createCluster` takes it. */
export interface RootNode {
  readonly url?: string | undefined;
  readonly socket?: SocketAddress | undefined;
}

const DEFAULT_HOST = 'localhost';
const DEFAULT_PORT = 6379;

/** `host:port` (or the socket path) a client connects to, with node-redis's defaults filled in. */
export function addressOf(socket: SocketAddress | undefined): string {
  if (socket?.path !== undefined) return socket.path;
  return `${socket?.host ?? DEFAULT_HOST}:${socket?.port ?? DEFAULT_PORT}`;
}

/** The root nodes a cluster connect tries, `host:port` each, comma separated. */
export function rootNodesAddress(rootNodes: readonly RootNode[]): string {
  return rootNodes
    .map((node) => (node.url === undefined ? addressOf(node.socket) : urlAddress(node.url)))
    .join(', ');
}

function urlAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || DEFAULT_HOST}:${parsed.port || DEFAULT_PORT}`;
  } catch {
    return url;
  }
}

/** Where `connect`'s options point a single client: the `url` if given, else `socket`. */
export function clientAddressOf(
  options: { readonly url?: string; readonly socket?: object } | undefined,
): string {
  if (options?.url !== undefined) return urlAddress(options.url);
  return addressOf(options?.socket as SocketAddress | undefined);
}
