/**
 * The driver contract of @redcache/testing (the one the memory and node-redis drivers pass)
 * against the ioredis driver, on a server of this file's own (the contract flushes it).
 */
import { redisCommand } from '@redcache/redis-harness';
import { driverContract } from '@redcache/testing/contract';
import { openDriver, useServer } from './test-support/own-server.js';
import { killPairConnection } from './test-support/pair-connections.js';

const server = useServer();

const open = () => openDriver(server.url);

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
