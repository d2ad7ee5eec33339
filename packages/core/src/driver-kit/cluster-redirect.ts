import { keySlot } from '../driver/slot.js';
import type { RedisCommand, RedisReply } from '../driver.js';

/**
 * Why a cluster node did not run a command:
 * - `moved`: the command's slot lives on another master (the topology changed);
 * - `ask`: the slot is being migrated and the command's keys are already on the target;
 * - `tryagain`: the slot is being migrated and a multi-key command's keys are split between
 *   the two nodes (or, on the target, not all there yet): it may run once they are not.
 */
export type Redirect = 'moved' | 'ask' | 'tryagain';

const REDIRECT = /^(MOVED|ASK) (\d+) (\S+)$/;

/**
 * The redirect a reply to `command` is, or undefined for any other reply. A MOVED or ASK for
 * another slot than the command's `key` is not one: the command touches a slot it does not
 * name, and following it would route by the wrong key again.
 */
export function redirectOf(command: RedisCommand, reply: RedisReply | Error): Redirect | undefined {
  if (!(reply instanceof Error)) return undefined;
  if (reply.message.startsWith('TRYAGAIN')) return 'tryagain';
  const match = /^(MOVED|ASK) (\d+) /.exec(reply.message);
  if (match === null || Number(match[2]) !== keySlot(command.key)) return undefined;
  return match[1] === 'MOVED' ? 'moved' : 'ask';
}

/**
 * The node a MOVED or ASK reply names, as Redis wrote it (`host:port`; an IPv6 host keeps
 * its colons), or undefined for any other reply. Redis 7 may write an empty host (`:7001`)
 * when it does not know the address it is reached at: the same host as the node asked.
 */
export function redirectAddress(reply: RedisReply | Error): string | undefined {
  if (!(reply instanceof Error)) return undefined;
  return REDIRECT.exec(reply.message)?.[3];
}
