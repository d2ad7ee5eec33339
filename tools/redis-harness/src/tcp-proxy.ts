import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/** Where a proxy forwards to. */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of one server, for fault tests: a silent partition
 * (`stopForwarding`: every connection stays open but no byte passes either way, as with a
 * network that drops packets without a reset) and its end (`forward`: what was held back is
 * delivered, as TCP would retransmit it).
 */
export interface TcpProxy {
  /** The proxy's port: point clients here. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Whether bytes pass now. */
  readonly forwarding: boolean;
  /** Stops passing bytes, both ways, on every connection and on new ones; sockets stay open. */
  stopForwarding(): void;
  /** Passes bytes again, starting with those held back. */
  forward(): void;
  /** Closes every connection and the listener. Idempotent. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Starts a proxy to `target` on `port` (default: a free one), forwarding. */
export async function startTcpProxy(target: ProxyTarget, port = 0): Promise<TcpProxy> {
  const pairs = new Set<readonly [Socket, Socket]>();
  let forwarding = true;
  const server: Server = createServer((client) => {
    const upstream = tcpConnect({ host: target.host, port: target.port });
    const pair = [client, upstream] as const;
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    if (!forwarding) for (const socket of pair) socket.pause();
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    url: `redis://${HOST}:${address.port}`,
    get forwarding() {
      return forwarding;
    },
    stopForwarding() {
      forwarding = false;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    forward() {
      forwarding = true;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
