import type { RedisArgument } from '@redcache/core';
import { argumentText } from './argument-bytes.js';

/**
 * ioredis parses RESP2 with `returnBuffers`, so a status reply (`+OK`) and a bulk string
 * (`$2 OK`) both arrive as a Buffer; the driver seam gives a status as a string and a bulk
 * string as bytes. The distinction is restored by command: these answer with a status
 * whenever they answer with a string at all. Scripts are not among them: redcache's scripts
 * return integers and bulk strings only (see docs/wire-format.md).
 */
const STATUS_COMMANDS = new Set(['SET', 'PING', 'MSET', 'RENAME', 'SELECT', 'FLUSHALL', 'FLUSHDB']);

/** The arguments name a command whose string reply is a status (`SET` without `GET`, `PING` without a message, …). */
export function answersWithStatus(args: readonly RedisArgument[]): boolean {
  const name = nameOf(args[0]);
  if (!STATUS_COMMANDS.has(name)) return false;
  if (name === 'PING') return args.length === 1;
  if (name === 'SET') return !args.some((arg, i) => i > 2 && nameOf(arg) === 'GET');
  return true;
}

function nameOf(arg: RedisArgument | undefined): string {
  return arg === undefined ? '' : argumentText(arg).toUpperCase();
}
