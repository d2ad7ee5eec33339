import { redisCommand } from '@redcache/redis-harness';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { useServer } from '../test-support/own-server.js';
import { killPairConnection } from '../test-support/pair-connections.js';

const server = useServer();

const admin = async (...args: string[]) => {
  const reply = await redisCommand('127.0.0.1', server.port, args);
  if (reply instanceof Error) throw reply;
  return reply;
};

it('a setup step refused while both connections stay up (NOPERM on CLIENT, then granted) is tried again until the pair is set up (it was never retried: every call failed for good)', async () => {
  await admin('ACL', 'SETUSER', 'app', 'on', '>pw', '~*', '&*', '+@all');
  const driver = driverFor(
    new Redis({ host: '127.0.0.1', port: server.port, username: 'app', password: 'pw', lazyConnect: true }),
    { livenessCheck: false, connectTimeoutMs: 300 },
    { ownsClient: true },
  );
  try {
    await driver.whenEstablished();
    await admin('ACL', 'SETUSER', 'app', '-client');
    await killPairConnection(driver, 'data', server.port);
    await expect.poll(() => String((driver.lastError as Error | undefined)?.message)).toMatch(/NOPERM/);
    await admin('ACL', 'SETUSER', 'app', '+client');
    // Settles: the pair is set up again by itself, with no connection event to start it.
    await expect
      .poll(
        () =>
          driver.whenEstablished().then(
            () => true,
            () => false,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    expect(await driver.send([{ key: 'k', args: ['SET', 'k', 'v'] }])).toEqual(['OK']);
  } finally {
    await driver.close();
    await admin('ACL', 'DELUSER', 'app');
  }
}, 20_000);
