import { connect } from 'node:net';

/** True when a Redis server on host:port answers `PING` with `+PONG` within `timeoutMs`. */
export function ping(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) finish(received.startsWith('+PONG'));
    });
  });
}

/** Resolves once the server answers PING; rejects after `timeoutMs` or when `gaveUp()` says so. */
export async function waitForPing(
  host: string,
  port: number,
  timeoutMs: number,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ping(host, port)) return;
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(reason);
    if (Date.now() > deadline)
      throw new Error(`redis at ${host}:${port} did not answer PING in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
