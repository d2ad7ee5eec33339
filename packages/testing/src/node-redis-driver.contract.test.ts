import { createNodeRedisDriver } from '@redcache/node-redis';
import { createClient } from 'redis';
import { inject } from 'vitest';
import { driverContract } from './contract/index.js';

// The same contract, against the real driver and a real Redis (see vitest.global-setup.ts).
const url = inject('redisUrl');
const owned = inject('redisOwned');

async function connected<
  C extends { on(event: 'error', listener: () => void): unknown; connect(): Promise<C> },
>(client: C): Promise<C> {
  client.on('error', () => {
    // A killed connection reports an error; the commands that fail surface it.
  });
  return client.connect();
}

driverContract('node-redis driver', async () => {
  const client = await connected(createClient({ url, RESP: 3, emitInvalidate: true }));
  const otherClient = await connected(createClient({ url, RESP: 3, emitInvalidate: true }));
  const admin = await connected(createClient({ url }));
  const driver = createNodeRedisDriver(client);
  const other = createNodeRedisDriver(otherClient);
  return {
    driver,
    other,
    loseConnection: async () => {
      const id = await client.clientId();
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    },
    ...(owned ? { flushAll: async () => void (await admin.flushAll()) } : {}),
    cleanup: async () => {
      await Promise.all([driver.close(), other.close()]);
      await admin.close();
    },
  };
});
