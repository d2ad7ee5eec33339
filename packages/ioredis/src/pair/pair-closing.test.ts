import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { useServer } from '../test-support/own-server.js';
import { killPairConnection } from '../test-support/pair-connections.js';

const server = useServer();

/** How the socket goes, and the event of the socket at which the test sends. */
const MOMENTS = [
  { moment: 'the server closed it (the socket read its end)', event: 'end', cut: 'kill' },
  { moment: 'the server closed it (the socket ended its write side)', event: 'finish', cut: 'kill' },
  { moment: "its socket closed, before the connection's 'close'", event: 'close', cut: 'destroy' },
] as const;

for (const side of ['data', 'subscriber'] as const) {
  for (const { moment, event, cut } of MOMENTS) {
    it(`a send after ${moment} (${side} connection) waits for the pair and is answered (defect: it failed unsent, "Stream isn't writeable")`, async () => {
      const driver = driverFor(
        new Redis(server.url, { lazyConnect: true, retryStrategy: () => 10 }),
        { livenessCheck: false },
        { ownsClient: true },
      );
      try {
        await driver.whenEstablished();
        const connection = driver.connections[side];
        const socket = connection.stream;
        const nulls: Array<string | null> = [];
        driver.onInvalidate((key) => key === null && nulls.push(key));
        const sent = new Promise<unknown>((resolve) => {
          // Runs after the handlers added before it (ioredis's for 'close').
          socket.once(event, () => {
            expect(connection.status !== 'ready' || !socket.writable || !socket.readable).toBe(true);
            resolve(driver.send([{ key: 'k', args: ['PING'] }]).catch((error: unknown) => error));
          });
        });
        if (cut === 'destroy') socket.destroy();
        else await killPairConnection(driver, side, server.port);
        expect(await sent).toEqual(['PONG']);
        expect(nulls.length).toBeGreaterThan(0);
      } finally {
        await driver.close();
      }
    }, 10_000);
  }
}
