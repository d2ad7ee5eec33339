import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { HeldLock } from '../lock/held-lock.js';
import { holdLocks, releaseLocks } from '../lock/lock-ops.js';
import { acquireWriteLockScript } from '../wire/scripts/acquire-write-lock.js';

const encoder = new TextEncoder();

/**
 * Takes keys for a write (acquire-write-lock): one pipeline per slot group, every reply
 * drained. Returns the lock for each key taken (with the value it replaced) and `undefined`
 * for keys that hold a lock. Any error releases what this round took and throws.
 */
export async function acquireWriteLocks(
  ctx: EngineContext,
  op: string,
  keys: readonly string[],
): Promise<Map<string, HeldLock | undefined>> {
  const taken = new Map<string, HeldLock | undefined>();
  const ttl = String(ctx.options.lockTTLMs);
  let failure: { key: unknown; error: unknown } | undefined;
  await Promise.all(
    ctx.driver.groupBySlot(keys).map(async (group) => {
      const tokens = group.map(() => ctx.tokens.next());
      let replies: Array<RedisReply | Error>;
      try {
        replies = await ctx.driver.evalScripts(
          'lock',
          group.map((key, i) => ({
            script: acquireWriteLockScript,
            keys: [key],
            args: [tokens[i]!, ttl, ctx.options.lockPrefix],
          })),
        );
      } catch (error) {
        failure ??= { key: group, error };
        return;
      }
      const takenAt = performance.now();
      group.forEach((key, i) => {
        const lock = parseReply(replies[i] ?? null, tokens[i]!, takenAt);
        if (lock instanceof Error) {
          ctx.metrics.redisError('lock');
          failure ??= { key, error: lock };
        } else {
          taken.set(key, lock);
        }
      });
    }),
  );
  const held = new Map<string, HeldLock>();
  for (const [key, lock] of taken) if (lock !== undefined) held.set(key, lock);
  holdLocks(ctx, held);
  if (failure !== undefined) {
    await releaseLocks(ctx, held);
    const { key, error } = failure;
    throw error instanceof RedisCommandError ? error : new RedisCommandError(op, key, error);
  }
  return taken;
}

function parseReply(reply: RedisReply | Error, token: string, takenAt: number): HeldLock | undefined | Error {
  if (reply instanceof Error) return reply;
  if (!Array.isArray(reply) || reply.length !== 3 || (reply[0] !== 0 && reply[0] !== 1)) {
    return new Error(`unexpected write-lock reply ${JSON.stringify(reply)}`);
  }
  if (reply[0] === 0) return undefined;
  const [, value, pttl] = reply as [number, RedisReply, RedisReply];
  if (value === null) return { token };
  const raw = typeof value === 'string' ? encoder.encode(value) : value;
  if (!(raw instanceof Uint8Array) || typeof pttl !== 'number') {
    return new Error(`unexpected write-lock reply ${JSON.stringify(reply)}`);
  }
  return { token, saved: { raw, pttlMs: pttl, takenAt } };
}
