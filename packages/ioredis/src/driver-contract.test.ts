/**
 * The driver contract of @redcache/testing (the one the memory and node-redis drivers pass)
 * against the ioredis driver, on a server of this file's own (the contract flushes it).
 */
import { type RedisServer, redisCommand, startRedisServer } from '@redcache/redis-harness';
import { driverContract } from '@redcache/testing/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { driverFor } from './create-ioredis-driver.js';
import { killPairConnection } from './test-support/pair-connections.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const open = async () => {
  const client = new Redis(server.url, { lazyConnect: true });
  const driver = driverFor(client, undefined, { ownsClient: true });
  await driver.whenEstablished();
  return driver;
};

for (const side of ['data', 'subscriber'] as const) {
  driverContract(`ioredis driver on a single server (losing its ${side} connection)`, async () => {
    const [driver, other] = await Promise.all([open(), open()]);
    return {
      driver,
      other,
      loseConnection: () => killPairConnection(driver, side, server.port),
      flushAll: async () => {
        const reply = await redisCommand('127.0.0.1', server.port, ['FLUSHALL']);
        if (reply instanceof Error) throw reply;
      },
      cleanup: async () => {
        await Promise.all([driver.close(), other.close()]);
      },
    };
  });
}
