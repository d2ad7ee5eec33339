import type { RedisArgument, RedisReply } from '@redcache/core';
import { bytesEqual, startsWithBytes } from './bytes.js';

/** `redis.call` as a twin sees it: runs one command for the script's caller; an error reply throws. */
export type RedisCall = (...args: RedisArgument[]) => RedisReply;

/**
 * A JavaScript twin of one of core's Lua scripts: the same KEYS and ARGV, the same effects
 * through the same commands (so reads track and writes invalidate as the script's would),
 * the same reply. Lua `false` is `null`, a Lua table an array, a Lua number an integer.
 */
export type ScriptTwin = (
  call: RedisCall,
  keys: readonly string[],
  argv: readonly Uint8Array[],
) => RedisReply;

/** A GET reply as bytes, or null (Lua `false`) for a missing key. */
export function bulk(reply: RedisReply): Uint8Array | null {
  return reply instanceof Uint8Array ? reply : null;
}

/** Lua's `redis.call('GET', k) == ARGV[i]`: a missing key equals nothing. */
export function holds(reply: RedisReply, expected: Uint8Array | undefined): boolean {
  const value = bulk(reply);
  return value !== null && expected !== undefined && bytesEqual(value, expected);
}

/** Lua's `string.sub(v, 1, string.len(p)) == p`. */
export function hasPrefix(value: Uint8Array, prefix: Uint8Array | undefined): boolean {
  return prefix !== undefined && startsWithBytes(value, prefix);
}

const LUA_NUMBER = /^\s*([-+]?(0[xX][0-9a-fA-F]+|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?))\s*$/;

/** Lua 5.1's `tonumber(s)` for a string argument: the number, or undefined (Lua `nil`). */
export function luaNumber(arg: Uint8Array | undefined): number | undefined {
  if (arg === undefined) return undefined;
  const match = LUA_NUMBER.exec(new TextDecoder().decode(arg));
  if (match === null) return undefined;
  const text = match[1]!;
  const unsigned = text.replace(/^[-+]/, '');
  const magnitude = /^0[xX]/.test(unsigned) ? Number.parseInt(unsigned.slice(2), 16) : Number(unsigned);
  return text.startsWith('-') ? -magnitude : magnitude;
}
