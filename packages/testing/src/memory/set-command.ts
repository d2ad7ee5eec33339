import type { RedisArgument, RedisReply } from '@redcache/core';
import { toBytes, toText } from './bytes.js';
import { parseInteger } from './parse-integer.js';
import { RedisReplyError, syntaxError, wrongArity } from './redis-error.js';
import type { Session } from './session.js';

interface SetOptions {
  condition: 'NX' | 'XX' | undefined;
  get: boolean;
  ttlMs: number | undefined;
}

/**
 * `SET key value [NX | XX] [GET] [PX ms | EX s]`, with Redis 7 replies: `OK` when written,
 * null when a condition stopped it; with GET, the old value (or null) either way. The old
 * value a GET returns is not tracked (SET is a write command). A SET without PX or EX
 * clears the key's ttl.
 */
export function setCommand<C>(session: Session<C>, args: readonly RedisArgument[]): RedisReply {
  if (args.length < 3) throw wrongArity('SET');
  const key = toText(args[1]!);
  const options = parseOptions(args.slice(3));
  const old = session.lookup(key);
  const blocked =
    (options.condition === 'NX' && old !== undefined) || (options.condition === 'XX' && old === undefined);
  if (!blocked) {
    const expiresAt = options.ttlMs === undefined ? undefined : session.now + options.ttlMs;
    session.write(key, toBytes(args[2]!), expiresAt);
  }
  if (options.get) return old === undefined ? null : new Uint8Array(old.value);
  return blocked ? null : 'OK';
}

function parseOptions(rest: readonly RedisArgument[]): SetOptions {
  const options: SetOptions = { condition: undefined, get: false, ttlMs: undefined };
  for (let i = 0; i < rest.length; i++) {
    const word = toText(rest[i]!).toUpperCase();
    if ((word === 'NX' || word === 'XX') && options.condition === undefined) {
      options.condition = word;
    } else if (word === 'GET' && !options.get) {
      options.get = true;
    } else if ((word === 'PX' || word === 'EX') && options.ttlMs === undefined && i + 1 < rest.length) {
      const amount = parseInteger(rest[++i]);
      if (amount <= 0) throw new RedisReplyError("ERR invalid expire time in 'set' command");
      options.ttlMs = word === 'PX' ? amount : amount * 1000;
    } else {
      throw syntaxError();
    }
  }
  return options;
}
