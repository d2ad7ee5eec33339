import net from 'node:net';

/**
 * What the stand-in answers `HELLO` with (every other command gets `+OK`); `'garbage'`: bytes
 * that are not RESP, to anything; `'silent'`: nothing at all; `'hang-up'`: it closes the
 * connection at the first command.
 */
export type StandInHello =
  | { readonly error: string }
  | { readonly version: string }
  | 'garbage'
  | 'silent'
  | 'hang-up';

/** A tiny TCP server in place of Redis, on 127.0.0.1 and a free port. */
export interface StandInServer {
  readonly url: string;
  readonly address: string;
  /** The commands received so far, by name (upper case). */
  readonly commands: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts a stand-in for a server that is not the Redis redcache needs: one that answers
 * `HELLO` with an error reply, with a map naming an old `version`, with garbage, or not at all.
 */
export async function startStandInServer(hello: StandInHello): Promise<StandInServer> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      if (hello === 'silent') return;
      if (hello === 'hang-up') {
        socket.destroy();
        return;
      }
      if (hello === 'garbage') {
        socket.write('this is not RESP\r\n');
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const parsed = parseCommand(pending);
        if (parsed === undefined) break;
        pending = pending.subarray(parsed.length);
        const name = (parsed.args[0] ?? '').toUpperCase();
        commands.push(name);
        socket.write(name === 'HELLO' ? helloReply(hello) : '+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    commands,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function helloReply(hello: { readonly error: string } | { readonly version: string }): string {
  if ('error' in hello) return `-${hello.error}\r\n`;
  const fields: Array<[string, string]> = [
    ['server', 'redis'],
    ['version', hello.version],
    ['mode', 'standalone'],
    ['role', 'master'],
  ];
  const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  return `%${fields.length + 1}\r\n${fields.map(([k, v]) => bulk(k) + bulk(v)).join('')}${bulk('proto')}:3\r\n`;
}

/** One command (a RESP array of bulk strings) from the front of `buffer`, or undefined while incomplete. */
function parseCommand(buffer: Buffer): { args: string[]; length: number } | undefined {
  let offset = 0;
  const line = (): string | undefined => {
    const end = buffer.indexOf('\r\n', offset);
    if (end === -1) return undefined;
    const text = buffer.subarray(offset, end).toString('utf8');
    offset = end + 2;
    return text;
  };
  const header = line();
  if (header === undefined) return undefined;
  const count = Number(header.slice(1));
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    const size = line();
    if (size === undefined) return undefined;
    const length = Number(size.slice(1));
    if (buffer.length < offset + length + 2) return undefined;
    args.push(buffer.subarray(offset, offset + length).toString('utf8'));
    offset += length + 2;
  }
  return { args, length: offset };
}
