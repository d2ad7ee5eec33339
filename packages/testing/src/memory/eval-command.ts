import { keySlot, type RedisArgument, type RedisReply } from '@redcache/core';
import { coreScripts } from '../core-scripts.js';
import { toBytes, toText } from './bytes.js';
import { parseInteger } from './parse-integer.js';
import { RedisReplyError, wrongArity } from './redis-error.js';
import type { RedisCall } from './script-twin.js';
import { type NamedTwin, sha1Of, twinBySha } from './script-twins.js';
import type { Session } from './session.js';

/**
 * `EVAL source numkeys key… arg…` and `EVALSHA sha1 numkeys key… arg…`. A script runs as
 * the JavaScript twin of core's Lua source (see `script-twins.ts`); a source without a twin
 * is an error reply. EVAL remembers the script by its SHA-1, so EVALSHA finds it later;
 * EVALSHA of a script this server has not seen is the NOSCRIPT error.
 */
export function evalCommand<C>(
  session: Session<C>,
  args: readonly RedisArgument[],
  call: RedisCall,
): RedisReply {
  const command = toText(args[0]!).toUpperCase();
  if (args.length < 3) throw wrongArity(command);
  const found = command === 'EVAL' ? bySource(session, toText(args[1]!)) : bySha(session, toText(args[1]!));
  const count = parseInteger(args[2]);
  if (count < 0) throw new RedisReplyError("ERR Number of keys can't be negative");
  if (count > args.length - 3)
    throw new RedisReplyError("ERR Number of keys can't be greater than number of args");
  const keys = args.slice(3, 3 + count).map(toText);
  const argv = args.slice(3 + count).map(toBytes);
  if (session.cluster && new Set(keys.map(keySlot)).size > 1) {
    throw new RedisReplyError("CROSSSLOT Keys in request don't hash to the same slot");
  }
  try {
    return found.twin(call, keys, argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RedisReplyError(`${message} (in script '${found.name}', run by the memory driver)`);
  }
}

function bySource<C>(session: Session<C>, source: string): NamedTwin {
  const sha1 = sha1Of(source);
  const found = twinBySha(sha1);
  if (found === undefined) {
    const script = coreScripts.find((candidate) => candidate.source === source);
    const hint =
      script === undefined
        ? 'only the Lua scripts of @redcache/core run here'
        : `core's '${script.name}' script changed since its twin was written: update the twin in @redcache/testing`;
    throw new RedisReplyError(`ERR memory driver: no JavaScript twin for script ${sha1}: ${hint}`);
  }
  session.scripts.set(sha1, source);
  return found;
}

function bySha<C>(session: Session<C>, sha1: string): NamedTwin {
  const found = session.scripts.has(sha1.toLowerCase()) ? twinBySha(sha1) : undefined;
  if (found === undefined) throw new RedisReplyError('NOSCRIPT No matching script. Please use EVAL.');
  return found;
}
