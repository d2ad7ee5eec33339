import type { RedisArgument } from '@redcache/core';

/**
 * node-redis encodes strings and Buffers only; a plain `Uint8Array` is viewed as a Buffer
 * over the same memory (no copy). Arguments that are all strings and Buffers already (most
 * commands) are passed on as they are, without a new array: neither side changes them.
 */
export function toNodeRedisArgs(args: readonly RedisArgument[]): ReadonlyArray<string | Buffer> {
  for (const arg of args) {
    if (typeof arg !== 'string' && !Buffer.isBuffer(arg)) return args.map(toNodeRedisArg);
  }
  return args as ReadonlyArray<string | Buffer>;
}

const toNodeRedisArg = (arg: RedisArgument): string | Buffer =>
  typeof arg === 'string' || Buffer.isBuffer(arg)
    ? arg
    : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
