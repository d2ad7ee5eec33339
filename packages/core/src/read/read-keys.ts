import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import { startsWithBytes, unwrapEnvelope } from '../wire/envelope.js';
import { readValuesScript } from '../wire/scripts/read-values.js';

export type KeyState =
  | {
      readonly kind: 'value';
      readonly payload: Uint8Array;
      /** The stored bytes, envelope and all. */
      readonly raw: Uint8Array;
      readonly deltaNs: number;
      /** ms left in Redis: -1 persistent, -2 gone. */
      readonly pttlMs: number;
      /** False when the key was invalidated while the read was in flight: return it, do not cache it. */
      readonly storable: boolean;
    }
  | { readonly kind: 'missing' }
  /** A lock. `pttlMs` -1 means it never expires: no redcache wrote it, and nobody will release it. */
  | { readonly kind: 'locked'; readonly pttlMs: number };

const encoder = new TextEncoder();

/**
 * Reads keys from Redis (value and PTTL, atomically), one script call per slot group, the
 * groups concurrently. Each read arms client tracking, so a later change is pushed to us.
 */
export async function readKeys(
  ctx: EngineContext,
  op: string,
  keys: readonly string[],
): Promise<Map<string, KeyState>> {
  const states = new Map<string, KeyState>();
  const ticket = ctx.hub.beginTicket(keys);
  try {
    const readGroup = async (group: readonly string[]): Promise<void> => {
      const [reply] = await ctx.driver.evalScripts(op, [{ script: readValuesScript, keys: group, args: [] }]);
      if (group.length > 1 && isTryAgain(reply)) {
        // The slot is being migrated and its keys are split between the two nodes (or, on the
        // target, not all there yet): a read of one key is always served, by one node or the other.
        await Promise.all(group.map((key) => readGroup([key])));
        return;
      }
      if (reply instanceof Error || !Array.isArray(reply) || reply.length !== group.length * 2) {
        ctx.metrics.redisError('read');
        throw new RedisCommandError(
          op,
          group.length === 1 ? group[0] : group,
          parseProblem(reply, group.length),
        );
      }
      group.forEach((key, index) => {
        states.set(
          key,
          classify(ctx, reply[2 * index] ?? null, reply[2 * index + 1] ?? null, ticket.isClean(key)),
        );
      });
    };
    await Promise.all(ctx.driver.groupBySlot(keys).map(readGroup));
  } finally {
    ticket.end();
  }
  return states;
}

function classify(ctx: EngineContext, raw: RedisReply, pttl: RedisReply, clean: boolean): KeyState {
  if (raw === null) return { kind: 'missing' };
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  if (!(bytes instanceof Uint8Array)) return { kind: 'missing' };
  const pttlMs = typeof pttl === 'number' ? pttl : -2;
  if (startsWithBytes(bytes, ctx.lockPrefixBytes)) return { kind: 'locked', pttlMs };
  const { payload, deltaNs } = unwrapEnvelope(bytes);
  return { kind: 'value', payload, raw: bytes, deltaNs, pttlMs, storable: clean };
}

const isTryAgain = (reply: RedisReply | Error | undefined): boolean =>
  reply instanceof Error && reply.message.startsWith('TRYAGAIN');

function parseProblem(reply: RedisReply | Error | undefined, keys: number): Error {
  if (reply instanceof Error) return reply;
  return new Error(
    `unexpected read reply (expected ${keys * 2} entries): ${JSON.stringify(reply)?.slice(0, 200)}`,
  );
}
