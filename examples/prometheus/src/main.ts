/**
 * `pnpm start`: the service on port 8080 (or `PORT`), with a Redis from `REDIS_URL`, the one on
 * 127.0.0.1:6379, or a throwaway one. Point Prometheus at `/metrics`; see ../README.md.
 */
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { startService } from './service.js';

const redis = await findRedis();
const service = await startService({
  redisUrl: redis.url,
  keyPrefix: uniqueKeyPrefix('redcache-example:prometheus'),
  port: Number(process.env.PORT ?? 8080),
});
console.log(`Redis at ${redis.url} (${redis.source})`);
console.log(
  `Try ${service.url}/products/1 and ${service.url}/users/1; Prometheus scrapes ${service.url}/metrics`,
);

const stop = async () => {
  await service.close();
  await redis.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
