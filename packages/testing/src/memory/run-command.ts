import type { RedisArgument, RedisReply } from '@redcache/core';
import { toText } from './bytes.js';
import { evalCommand } from './eval-command.js';
import { parseInteger } from './parse-integer.js';
import { RedisReplyError, wrongArity } from './redis-error.js';
import { scanCommand } from './scan-command.js';
import type { Session } from './session.js';
import { setCommand } from './set-command.js';

/**
 * Runs one command for a session: GET, SET, DEL, UNLINK, PEXPIRE, PTTL, EXISTS, SCAN, EVAL, EVALSHA —
 * what the engine sends, and nothing else. Throws `RedisReplyError` for an error reply.
 */
export function runCommand<C>(session: Session<C>, args: readonly RedisArgument[]): RedisReply {
  const command = args.length === 0 ? '' : toText(args[0]!).toUpperCase();
  if (command === 'EVAL' || command === 'EVALSHA') {
    return evalCommand(session, args, (...inner) => runInScript(session, inner));
  }
  return runPlain(session, command, args);
}

function runInScript<C>(session: Session<C>, args: readonly RedisArgument[]): RedisReply {
  const command = args.length === 0 ? '' : toText(args[0]!).toUpperCase();
  if (command === 'EVAL' || command === 'EVALSHA') {
    throw new RedisReplyError('ERR This Redis command is not allowed from script');
  }
  return runPlain(session, command, args);
}

function runPlain<C>(session: Session<C>, command: string, args: readonly RedisArgument[]): RedisReply {
  if (command === 'SET') return setCommand(session, args);
  if (command === 'SCAN') return scanCommand(session, args);
  const keys = args.slice(1).map(toText);
  switch (command) {
    case 'GET': {
      if (keys.length !== 1) throw wrongArity(command);
      const entry = session.read(keys[0]!);
      return entry === undefined ? null : new Uint8Array(entry.value);
    }
    case 'DEL':
    case 'UNLINK':
      if (keys.length === 0) throw wrongArity(command);
      return keys.filter((key) => session.remove(key)).length;
    case 'EXISTS':
      if (keys.length === 0) throw wrongArity(command);
      return keys.filter((key) => session.read(key) !== undefined).length;
    case 'PTTL': {
      if (keys.length !== 1) throw wrongArity(command);
      const entry = session.read(keys[0]!);
      if (entry === undefined) return -2;
      return entry.expiresAt === undefined ? -1 : Math.max(0, entry.expiresAt - session.now);
    }
    case 'PEXPIRE': {
      if (keys.length !== 2) throw wrongArity(command);
      const ms = parseInteger(args[2]);
      return session.expire(keys[0]!, session.now + ms) ? 1 : 0;
    }
    default: {
      const first = keys
        .slice(0, 3)
        .map((arg) => `'${arg.slice(0, 40)}'`)
        .join(' ');
      throw new RedisReplyError(
        `ERR unknown command '${command.toLowerCase()}', with args beginning with: ${first} (the memory driver runs GET, SET, DEL, UNLINK, EXISTS, PTTL, PEXPIRE, SCAN, EVAL and EVALSHA)`,
      );
    }
  }
}
