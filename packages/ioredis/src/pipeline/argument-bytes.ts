import type { RedisArgument } from '@redcache/core';

/** `bytes` as a Buffer over the same memory (no copy): what ioredis writes verbatim. */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An argument as text (bytes read as UTF-8), for a command's name or an option word. */
export function argumentText(arg: RedisArgument): string {
  return typeof arg === 'string' ? arg : bufferView(arg).toString();
}
