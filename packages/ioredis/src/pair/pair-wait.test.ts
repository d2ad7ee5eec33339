import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { useServer } from '../test-support/own-server.js';

const server = useServer();

it('a send while tracking cannot be set up (the server is gone) rejects once the pair has been down for the wait bound, naming the server, instead of waiting forever', async () => {
  const driver = driverFor(
    new Redis(server.url, { lazyConnect: true, retryStrategy: () => 50 }),
    { connectTimeoutMs: 300, livenessCheck: false },
    { ownsClient: true },
  );
  try {
    await driver.whenEstablished();
    await server.stop();
    await expect.poll(() => driver.connections.data.status).not.toBe('ready');
    const outcome = await driver.send([{ key: 'k', args: ['GET', 'k'] }]).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/127\.0\.0\.1:\d+/);
    expect((outcome as Error).message).toMatch(/tracking/);
  } finally {
    await driver.close();
  }
}, 10_000);
