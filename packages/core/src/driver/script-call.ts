import type { RedisArgument, RedisCommand, RedisReply } from '../driver.js';
import type { Script } from '../wire/scripts/script.js';
import type { MergeLayout } from './merge-layout.js';

/** One script call: its key (one; scripts touch one slot), and its arguments. */
export interface ScriptCall {
  readonly script: Script;
  readonly keys: readonly string[];
  readonly args: readonly RedisArgument[];
  /** How it merges with other callers' calls of its script (`RuntimeDriver.evalMerged`). */
  readonly merge?: MergeLayout;
}

/** True for the reply to a script sent by SHA that the server does not have. */
export const isNoScript = (reply: RedisReply | Error | undefined): reply is Error =>
  reply instanceof Error && reply.message.startsWith('NOSCRIPT');

/** The call as EVALSHA (by the script's SHA1). */
export function toEvalSha(call: ScriptCall): RedisCommand {
  return scriptCommand('EVALSHA', call.script.sha1, call);
}

/** The call as EVAL (by the script's source). */
export function toEval(call: ScriptCall): RedisCommand {
  return scriptCommand('EVAL', call.script.source, call);
}

function scriptCommand(command: string, script: string, call: ScriptCall): RedisCommand {
  return {
    key: call.keys[0] ?? '',
    args: [command, script, String(call.keys.length), ...call.keys, ...call.args],
  };
}
