export { BatchKeyError } from './batch-key-error.js';
export type { Cache, CallOptions, Loader, LoaderContext, MultiLoader, PeekResult } from './cache.js';
export type { Codec, KeyCodec } from './codec.js';
export { JSONCodec, keyCodecFunc, StringCodec, StringKeyCodec, UnsafeBytesCodec } from './codec.js';
export { Conn } from './conn.js';
export type { Driver, InvalidationListener, RedisArgument, RedisCommand, RedisReply } from './driver.js';
export type { Unwrapped } from './envelope.js';
export { unwrapEnvelope, wrapEnvelope } from './envelope.js';
export type { RedcacheErrorCode, RedcacheErrorContext } from './errors.js';
export {
  ClosedError,
  DecodeError,
  EncodeError,
  InvalidKeyError,
  InvalidOptionsError,
  InvalidTTLError,
  LockLostError,
  MissingLoaderResultError,
  RedcacheError,
  RedisCommandError,
} from './errors.js';
export type { LogAttributes, Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { Metrics } from './metrics.js';
export { NoopMetrics, noopMetrics } from './metrics.js';
export { newBytesCache, newCache, newStringCache } from './new-cache.js';
export type { NearCacheOptions, Options } from './options.js';
export { ENVELOPE_PREFIX } from './options.js';
export type {
  StandardSchemaIssue,
  StandardSchemaPathSegment,
  StandardSchemaResult,
  StandardSchemaV1,
} from './schema-codec.js';
export { SchemaValidationError, schemaCodec } from './schema-codec.js';
export type { Script } from './scripts/index.js';
export {
  acquireWriteLockScript,
  defineScript,
  extendLockScript,
  readValuesScript,
  refreshSetScript,
  restoreValueScript,
  setIfLockedScript,
  touchScript,
  unlockScript,
} from './scripts/index.js';
export { keySlot } from './slot.js';
