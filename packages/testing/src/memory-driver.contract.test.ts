import { driverContract } from './contract/index.js';
import { createMemoryRedis, type MemoryRedisOptions } from './memory/memory-redis.js';

const memory = (options: MemoryRedisOptions) => async () => {
  const server = createMemoryRedis(options);
  const driver = server.connect();
  const other = server.connect();
  return {
    driver,
    other,
    loseConnection: async () => driver.dropConnection(),
    flushAll: async () => server.flushAll(),
    cleanup: async () => {
      await Promise.all([driver.close(), other.close()]);
    },
  };
};

driverContract('memory driver', memory({}));
driverContract('memory driver (cluster slots)', memory({ cluster: true }));
