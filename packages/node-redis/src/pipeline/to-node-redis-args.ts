import type { RedisArgument } from '@redcache/core';

/**
 * node-redis encodes strings and Buffers only; a plain `Uint8Array` is viewed as a Buffer
 * over the same memory (no copy).
 */
export function toNodeRedisArgs(args: readonly RedisArgument[]): Array<string | Buffer> {
  return args.map((arg) =>
    typeof arg === 'string' || Buffer.isBuffer(arg)
      ? arg
      : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength),
  );
}
