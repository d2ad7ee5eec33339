import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisReply } from '../driver.js';

/** Whether a reply is Redis's TRYAGAIN (a multi-key command on a slot being migrated, its keys split). */
export const isTryAgain = (reply: RedisReply | Error | undefined): boolean =>
  reply instanceof Error && reply.message.startsWith('TRYAGAIN');

/**
 * The pauses before each new attempt of a command answered TRYAGAIN: doubling from 10 ms to
 * 250 ms, about 5 s in all. A slot's keys move in batches of a few milliseconds each, but a
 * multi-key read of keys that exist on neither node is answered TRYAGAIN until the whole slot
 * has moved; past this, the TRYAGAIN error is the reply.
 */
export const TRY_AGAIN_PAUSES_MS: readonly number[] = [
  10,
  20,
  40,
  80,
  160,
  ...Array.from({ length: 18 }, () => 250),
];

/**
 * Sends a command with `sendOnce` until its reply is not TRYAGAIN, pausing as `pauses` says
 * between attempts, and stopping early (with the TRYAGAIN reply) once `stopped()` is true.
 */
export async function retryTryAgain(
  sendOnce: () => Promise<RedisReply | Error>,
  stopped: () => boolean,
  pauses: readonly number[] = TRY_AGAIN_PAUSES_MS,
): Promise<RedisReply | Error> {
  let reply = await sendOnce();
  for (const pause of pauses) {
    if (!isTryAgain(reply) || stopped()) break;
    await sleep(pause);
    reply = await sendOnce();
  }
  return reply;
}
