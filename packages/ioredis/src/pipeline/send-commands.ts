import type { RedisArgument, RedisReply } from '@redcache/core';
import type { Redis } from 'ioredis';
import { argumentText, bufferView } from './argument-bytes.js';
import { isReplyError } from './reply-error.js';
import { answersWithStatus } from './status-reply.js';

type IoredisArgument = string | Buffer;

/**
 * Sends the commands on one ioredis connection, as one pipeline (one write), and returns a
 * reply per command in order: an `Error` in the slot of a command Redis rejected. Any other
 * failure (the connection closed, or is not ready: the driver's connections have no offline
 * queue) rejects the whole call, since no reply can be trusted then. Bytes go out as they are
 * (a `Uint8Array` viewed as a Buffer, not copied); bulk strings come back as Buffers (bytes).
 */
export async function sendCommands(
  connection: Redis,
  commands: ReadonlyArray<readonly RedisArgument[]>,
): Promise<Array<RedisReply | Error>> {
  if (commands.length === 0) return [];
  if (commands.length === 1) {
    const args = commands[0]!;
    try {
      return [replyOf(args, await connection.callBuffer(nameOf(args), ioredisArgs(args)))];
    } catch (error) {
      if (isReplyError(error)) return [error];
      throw error;
    }
  }
  const pipeline = connection.pipeline();
  for (const args of commands) pipeline.callBuffer(nameOf(args), ioredisArgs(args));
  const results = await pipeline.exec();
  if (results === null) throw new Error('ioredis: the pipeline was discarded');
  return results.map(([error, reply], i) => {
    if (error === null) return replyOf(commands[i]!, reply);
    if (isReplyError(error)) return error;
    throw error;
  });
}

function nameOf(args: readonly RedisArgument[]): string {
  const name = args[0];
  if (name === undefined) throw new TypeError('redcache: a command with no name');
  return argumentText(name);
}

function ioredisArgs(args: readonly RedisArgument[]): IoredisArgument[] {
  const out: IoredisArgument[] = new Array(args.length - 1);
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    out[i - 1] = typeof arg === 'string' ? arg : bufferView(arg);
  }
  return out;
}

function replyOf(args: readonly RedisArgument[], reply: unknown): RedisReply {
  if (Buffer.isBuffer(reply) && answersWithStatus(args)) return reply.toString();
  return reply as RedisReply;
}
