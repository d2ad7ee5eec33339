export { type FoundRedis, findRedis, uniqueKeyPrefix } from './find-redis.js';
export { freePort } from './free-port.js';
export { getRedis, NO_REDIS_MESSAGE } from './get-redis.js';
export { ping } from './ping.js';
export { type RespValue, redisCommand } from './redis-command.js';
export type { RedisHandle } from './redis-handle.js';
export { SlotMigration, slotOwnerPort } from './slot-migration.js';
export {
  type RedisCluster,
  type RedisClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
} from './start-redis-cluster.js';
export {
  type RedisServer,
  type RedisServerArgs,
  startRedisServer,
  startRedisServerOn,
} from './start-redis-server.js';
export { type ProxyTarget, startTcpProxy, type TcpProxy } from './tcp-proxy.js';
