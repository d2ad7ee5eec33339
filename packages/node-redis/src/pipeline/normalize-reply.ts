import type { RedisReply } from '@redcache/core';
import { isErrorReply } from './is-error-reply.js';

/**
 * Turns a decoded RESP3 reply into the engine's reply shape. The driver asks node-redis for
 * blob strings as Buffers and maps as flat arrays; the rest is mapped here:
 *
 * - blob string → `Uint8Array` (the Buffer itself, no copy); simple and verbatim strings → `string`
 * - integer, double → `number`; big number → `number` when it is a safe integer, else its decimal `string`
 * - boolean → `1` / `0` (what Redis itself sends a RESP2 client)
 * - array, set → array; map → flat `[key, value, …]` array (as RESP2 sends it)
 * - null → `null`
 *
 * An error nested in an array (say, `redis.pcall` results returned by a script) makes the
 * whole reply that error: a reply with a failed part is a failed reply.
 */
export function normalizeReply(value: unknown): RedisReply | Error {
  return nestedError(value) ?? normalize(value);
}

function nestedError(value: unknown): Error | undefined {
  if (value instanceof Error) return isErrorReply(value) ? value : new Error(value.message, { cause: value });
  if (!Array.isArray(value)) return undefined;
  for (const item of value) {
    const error = nestedError(item);
    if (error !== undefined) return error;
  }
  return undefined;
}

function normalize(value: unknown): RedisReply {
  switch (typeof value) {
    case 'string':
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'bigint':
      return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER
        ? Number(value)
        : String(value);
    case 'object':
      return normalizeObject(value);
    default:
      return String(value);
  }
}

function normalizeObject(value: object | null): RedisReply {
  if (value === null) return null;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    // In place: node-redis decoded this array for this command alone, and nobody else holds it.
    for (let i = 0; i < value.length; i++) value[i] = normalize(value[i]);
    return value as RedisReply[];
  }
  if (value instanceof String) return value.valueOf(); // a VerbatimString, should a caller map it so
  if (value instanceof Set) return [...value].map(normalize);
  if (value instanceof Map) return [...value].flatMap(([key, item]) => [normalize(key), normalize(item)]);
  return Object.entries(value).flatMap(([key, item]) => [key, normalize(item)]);
}
