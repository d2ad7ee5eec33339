/**
 * A send in the moments after a pair connection's socket went and before ioredis says so: the
 * server closed it (the socket's read side ended, then its write side: ioredis's status is
 * still `'ready'`), or it closed (ioredis sets the status at once but emits `'close'` on a
 * later tick). A pair
 * that waited for that event still took itself for established, and wrote the command on a
 * connection that refuses it unsent (defect: the call failed with "Stream isn't writeable and
 * enableOfflineQueue options is false" instead of waiting for the pair; on a cluster, the
 * engine's check PING failed that way when every master's pair was cut at once, and its
 * breaker opened for connections that were back within milliseconds).
 */
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { killPairConnection } from '../test-support/pair-connections.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

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
