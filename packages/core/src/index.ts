export type { Cache, CallOptions, Loader, LoaderContext, MultiLoader, PeekResult } from './cache.js';
export {
  JSONCodec,
  keyCodecFunc,
  StringCodec,
  StringKeyCodec,
  UnsafeBytesCodec,
} from './codec/ready-codecs.js';
export type {
  StandardSchemaIssue,
  StandardSchemaPathSegment,
  StandardSchemaResult,
  StandardSchemaV1,
} from './codec/schema-codec.js';
export { SchemaValidationError, schemaCodec } from './codec/schema-codec.js';
export type { Codec, KeyCodec } from './codec.js';
export { Conn } from './conn.js';
export type { CallEvent, CallOutcome, KeyOutcome, RefreshEvent } from './diagnostics/call-event.js';
export type { CallOp } from './diagnostics/channel-names.js';
export {
  CALL_CHANNELS,
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  REFRESH_CHANNEL,
} from './diagnostics/channel-names.js';
export type { LoadEvent, LoadOutcome } from './diagnostics/load-event.js';
export type { LockWaitEnd, LockWaitEvent } from './diagnostics/lock-wait-event.js';
export { keySlot } from './driver/slot.js';
export type {
  Driver,
  DriverHealthEvent,
  DriverNode,
  InvalidationListener,
  RedisArgument,
  RedisCommand,
  RedisReply,
} from './driver.js';
export { BatchKeyError } from './errors/batch-key-error.js';
export type { RedcacheErrorCode, RedcacheErrorContext } from './errors/errors.js';
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
} from './errors/errors.js';
export { ReentrantLoadError } from './errors/reentrant-load-error.js';
export type { ConnectFailure } from './errors/resilience-errors.js';
export {
  CommandTimeoutError,
  ConnectError,
  LoaderTimeoutError,
  RedisUnavailableError,
} from './errors/resilience-errors.js';
export type { Duration, DurationUnit } from './input/duration.js';
export type { LogAttributes, Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { PinoLike, PinoLogMethod } from './logging/pino-logger.js';
export { pinoLogger } from './logging/pino-logger.js';
export type { Metrics, MetricsSource } from './metrics.js';
export { NoopMetrics, noopMetrics } from './metrics.js';
export { newBytesCache, newCache, newStringCache } from './new-cache.js';
export type {
  BreakerOptions,
  FailSafeOptions,
  LoaderTimeoutOptions,
  NearCacheOptions,
  Options,
} from './options.js';
export type { ClearOptions, ClearProgress } from './view/clear-options.js';
export type { ViewOptions } from './view/view-options.js';
