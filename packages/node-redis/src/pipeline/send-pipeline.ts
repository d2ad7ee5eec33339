import type { RedisCommand, RedisReply } from '@redcache/core';
import type { SendArgs } from './command-sender.js';
import { isErrorReply } from './is-error-reply.js';
import { normalizeReply } from './normalize-reply.js';
import { toNodeRedisArgs } from './to-node-redis-args.js';

/**
 * Sends every command in the same tick, so node-redis writes them as one pipeline, and
 * waits for all replies. A command Redis rejects gets its `Error` in its place; any other
 * failure (socket closed, client closed, timeout) rejects the whole call with that error,
 * since the replies of the others cannot be trusted to mean anything then.
 *
 * One command (the engine's usual send) costs one promise on top of node-redis's own.
 */
export function sendPipeline(
  commands: readonly RedisCommand[],
  send: SendArgs,
): Promise<Array<RedisReply | Error>> {
  if (commands.length === 1) return sendOne(commands[0]!, send).then(oneReply, oneFailure);
  return sendMany(commands, send);
}

async function sendMany(
  commands: readonly RedisCommand[],
  send: SendArgs,
): Promise<Array<RedisReply | Error>> {
  const settled = await Promise.allSettled(commands.map((command) => sendOne(command, send)));
  const failure = settled.find((result) => result.status === 'rejected' && !isErrorReply(result.reason));
  if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
  return settled.map((result) =>
    result.status === 'fulfilled' ? normalizeReply(result.value) : (result.reason as Error),
  );
}

/** `send`'s promise; a throw (a client that throws instead of rejecting) becomes its rejection. */
function sendOne(command: RedisCommand, send: SendArgs): Promise<unknown> {
  try {
    return send(toNodeRedisArgs(command.args));
  } catch (error) {
    return Promise.reject(error);
  }
}

const oneReply = (value: unknown): Array<RedisReply | Error> => [normalizeReply(value)];

const oneFailure = (error: unknown): Array<RedisReply | Error> => {
  if (isErrorReply(error)) return [error as Error];
  throw error;
};
