import type { Driver } from '@redcache/core';
import { type RedisCluster, redisCommand, startRedisCluster } from '@redcache/redis-harness';
import { BasicPooledClientSideCache } from '@redis/client';
import { afterAll, beforeAll } from 'vitest';
import { createNodeRedisDriver } from './create-node-redis-driver.js';
import { trackingCluster } from './test-support/cluster.js';

/** The setup `driverContract` wants (`DriverContractSetup` in @redcache/testing/contract). */
interface ContractSetup {
  readonly driver: Driver;
  readonly other: Driver;
  loseConnection(): Promise<void>;
  flushAll?: () => Promise<void>;
  cleanup(): Promise<void>;
}
type DriverContract = (name: string, connect: () => Promise<ContractSetup>) => void;

// The contract suite lives in @redcache/testing, which has this package as a dev dependency:
// depending on it back would be a cycle that turbo refuses. So the suite is loaded from its
// source (vitest compiles it); a variable specifier keeps tsc from following it out of src.
const contractSource = new URL('../../testing/src/contract/index.ts', import.meta.url).href;
const { driverContract } = (await import(contractSource)) as { driverContract: DriverContract };

let redis: RedisCluster;
beforeAll(async () => {
  redis = await startRedisCluster();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const masterPorts = () => redis.nodes.slice(0, 3).map((node) => node.port);

/** A fresh setup: two cluster clients made by `options`, the first one's connections to kill. */
const connectWith =
  (options: () => Parameters<typeof trackingCluster>[1]) => async (): Promise<ContractSetup> => {
    const client = await trackingCluster(redis, options());
    const driver = createNodeRedisDriver(client);
    const other = createNodeRedisDriver(await trackingCluster(redis, options()));
    return {
      driver,
      other,
      loseConnection: async () => {
        // Kill the driver's connection to every master: whichever owns the contract's slot.
        for (const master of client.masters) {
          const id = await (await client.nodeClient(master)).clientId();
          await redisCommand('127.0.0.1', master.port, ['CLIENT', 'KILL', 'ID', String(id)]);
        }
      },
      flushAll: async () => {
        for (const port of masterPorts()) await redisCommand('127.0.0.1', port, ['FLUSHALL']);
      },
      cleanup: async () => {
        await Promise.all([driver.close(), other.close()]);
      },
    };
  };

driverContract(
  'node-redis cluster driver',
  connectWith(() => ({})),
);
driverContract(
  'node-redis cluster driver (clientSideCache)',
  connectWith(() => ({ clientSideCache: new BasicPooledClientSideCache(), defaults: {} })),
);
