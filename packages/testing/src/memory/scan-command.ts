import type { RedisArgument, RedisReply } from '@redcache/core';
import { toText } from './bytes.js';
import { globMatch } from './glob-match.js';
import { parseInteger } from './parse-integer.js';
import { RedisReplyError, syntaxError, wrongArity } from './redis-error.js';
import type { Session } from './session.js';

/** Redis's default `COUNT`. */
const DEFAULT_COUNT = 10;

/**
 * `SCAN cursor [MATCH pattern] [COUNT count]`: one step over the whole keyspace (the memory
 * Redis is one node, in cluster mode too), `[next cursor, [key, …]]` with the keys as bytes,
 * as Redis sends them. The keys a step visits that do not match are left out of it, as on
 * Redis, so a step may hold fewer keys than `COUNT`, or none, with more to come.
 */
export function scanCommand<C>(session: Session<C>, args: readonly RedisArgument[]): RedisReply {
  if (args.length < 2 || args.length % 2 !== 0) throw wrongArity('SCAN');
  const cursor = parseInteger(args[1]);
  if (cursor < 0) throw new RedisReplyError('ERR invalid cursor');
  let match: string | undefined;
  let count = DEFAULT_COUNT;
  for (let i = 2; i < args.length; i += 2) {
    const option = toText(args[i]!).toUpperCase();
    if (option === 'MATCH') match = toText(args[i + 1]!);
    else if (option === 'COUNT') count = parseInteger(args[i + 1]);
    else throw syntaxError();
  }
  if (count < 1) throw syntaxError();
  const step = session.scan(cursor, count);
  const keys = match === undefined ? step.keys : step.keys.filter((key) => globMatch(match, key));
  return [new TextEncoder().encode(String(step.cursor)), keys.map((key) => new TextEncoder().encode(key))];
}
