import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedcacheError, RedisCommandError } from '../errors/errors.js';
import type { HeldLock, SavedValue } from '../lock/held-lock.js';
import { acquireWriteLockScript } from '../wire/scripts/acquire-write-lock.js';

/** What taking write locks needs. */
export type WriteLockParts = Pick<EngineContext, 'driver' | 'locks' | 'metrics' | 'options'>;

const encoder = new TextEncoder();

/**
 * Takes keys for a write (acquire-write-lock): one pipeline per slot group, every reply
 * drained; each lock won goes to the lock manager as its reply arrives, with the value it
 * replaced. Returns the lock for each key taken and `undefined` for keys that hold a lock.
 * Any error releases what this round took and throws, naming `op` (a failed send throws its
 * own typed error); so does a close that came
 * meanwhile (`ClosedError`: a lock won after close is not kept).
 */
export async function acquireWriteLocks(
  ctx: WriteLockParts,
  op: string,
  keys: readonly string[],
): Promise<Map<string, HeldLock | undefined>> {
  const taken = new Map<string, HeldLock | undefined>();
  const ttl = String(ctx.options.lockTTLMs);
  let failure: { key: unknown; error: unknown } | undefined;
  let refused = false;
  await Promise.all(
    ctx.driver.groupBySlot(keys).map(async (group) => {
      const tokens = group.map(() => ctx.locks.nextToken());
      let replies: Array<RedisReply | Error>;
      try {
        replies = await ctx.driver.evalScripts(
          op,
          group.map((key, i) => ({
            script: acquireWriteLockScript,
            keys: [key],
            args: [tokens[i]!, ttl, ctx.options.lockPrefix],
          })),
          'lock',
        );
      } catch (error) {
        failure ??= { key: group, error };
        return;
      }
      const takenAt = performance.now();
      group.forEach((key, i) => {
        const parsed = parseReply(replies[i] ?? null, takenAt);
        if (parsed instanceof Error) {
          ctx.metrics.redisError('lock');
          failure ??= { key, error: parsed };
        } else if (parsed === 'locked') {
          taken.set(key, undefined);
        } else {
          const lock = ctx.locks.hold(op, key, tokens[i]!, parsed.saved);
          if (lock === undefined) refused = true;
          else taken.set(key, lock);
        }
      });
    }),
  );
  if (failure !== undefined || refused) {
    await ctx.locks.release(op, heldOf(taken));
    ctx.locks.assertTaking(op, keys);
    const { key, error } = failure!;
    // The send's own typed error as is (RedisUnavailableError, CommandTimeoutError, …): wrapping
    // it would hide that Redis is down from the caller and from isRedisDown.
    throw RedcacheError.isInstance(error) ? error : new RedisCommandError(op, key, error);
  }
  return taken;
}

/** The locks among what `acquireWriteLocks` took. */
export function heldOf(taken: ReadonlyMap<string, HeldLock | undefined>): HeldLock[] {
  return [...taken.values()].filter((lock): lock is HeldLock => lock !== undefined);
}

/** A reply of acquire-write-lock: taken (with the value it replaced, if any), or held by a lock. */
function parseReply(reply: RedisReply | Error, takenAt: number): { saved?: SavedValue } | 'locked' | Error {
  if (reply instanceof Error) return reply;
  if (!Array.isArray(reply) || reply.length !== 3 || (reply[0] !== 0 && reply[0] !== 1)) {
    return new Error(`unexpected write-lock reply ${JSON.stringify(reply)}`);
  }
  if (reply[0] === 0) return 'locked';
  const [, value, pttl] = reply as [number, RedisReply, RedisReply];
  if (value === null) return {};
  const raw = typeof value === 'string' ? encoder.encode(value) : value;
  if (!(raw instanceof Uint8Array) || typeof pttl !== 'number') {
    return new Error(`unexpected write-lock reply ${JSON.stringify(reply)}`);
  }
  return { saved: { raw, pttlMs: pttl, takenAt } };
}
