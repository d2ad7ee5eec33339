export { createFakeCache, FakeCache, type FakeCacheOptions } from './fake/fake-cache.js';
export type { FakeCall, FakeOp, FallbackReason, LoadReason } from './fake/fake-call.js';
export { MemoryDriver, type MemoryHealthEvent } from './memory/memory-driver.js';
export { createMemoryRedis, MemoryRedis, type MemoryRedisOptions } from './memory/memory-redis.js';
