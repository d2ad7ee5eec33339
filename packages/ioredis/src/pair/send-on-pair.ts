import type { RedisArgument, RedisReply } from '@redcache/core';
import { sendCommands } from '../pipeline/send-commands.js';
import type { TrackingPair } from './tracking-pair.js';

/**
 * Sends the commands on the pair's data connection, as one pipeline, only while the pair is
 * established and both its connections are ready (waiting for it otherwise; rejects once the
 * pair is closed), then fences: the
 * replies resolve once every invalidation they caused has been delivered (see fence.ts and
 * docs/ioredis.md). Every driver sends this way, on its one pair or on a master's.
 */
export async function sendOnPair(
  pair: TrackingPair,
  commands: ReadonlyArray<readonly RedisArgument[]>,
): Promise<Array<RedisReply | Error>> {
  for (;;) {
    // A connection ioredis has seen close, before its 'close' event: the pair is broken now.
    pair.noticeLostSides();
    if (pair.established) break;
    await pair.whenEstablished();
  }
  const replies = await sendCommands(pair.data, commands);
  await pair.fence();
  return replies;
}
