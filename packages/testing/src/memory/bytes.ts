import type { RedisArgument } from '@redcache/core';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** An argument as the bytes Redis would receive: strings as UTF-8, bytes copied. */
export function toBytes(arg: RedisArgument): Uint8Array {
  return typeof arg === 'string' ? encoder.encode(arg) : new Uint8Array(arg);
}

/** An argument as text (command names, keys, numbers). */
export function toText(arg: RedisArgument): string {
  return typeof arg === 'string' ? arg : decoder.decode(arg);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return prefix.byteLength <= bytes.byteLength && bytesEqual(bytes.subarray(0, prefix.byteLength), prefix);
}
