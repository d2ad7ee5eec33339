import type { RedisCommand, RedisReply } from '@redcache/core';
import { isErrorReply } from './is-error-reply.js';
import { normalizeReply } from './normalize-reply.js';

/** Sends one command and resolves with its decoded reply, or rejects. */
export type SendOne = (command: RedisCommand) => Promise<unknown>;

/**
 * Sends every command in the same tick, so node-redis writes them as one pipeline, and
 * waits for all replies. A command Redis rejects gets its `Error` in its place; any other
 * failure (socket closed, client closed, timeout) rejects the whole call with that error,
 * since the replies of the others cannot be trusted to mean anything then.
 */
export async function sendPipeline(
  commands: readonly RedisCommand[],
  sendOne: SendOne,
): Promise<Array<RedisReply | Error>> {
  const pending = commands.map((command) => {
    try {
      return sendOne(command);
    } catch (error) {
      return Promise.reject(error);
    }
  });
  const settled = await Promise.allSettled(pending);
  const failure = settled.find((result) => result.status === 'rejected' && !isErrorReply(result.reason));
  if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
  return settled.map((result) =>
    result.status === 'fulfilled' ? normalizeReply(result.value) : (result.reason as Error),
  );
}
