import type { RedisReply } from './driver.js';
import type { EngineContext } from './engine-context.js';
import { startsWithBytes } from './envelope.js';
import { RedisCommandError } from './errors.js';
import { unlockScript } from './scripts/unlock.js';

/** The outcome of `SET key <lock> NX GET PX lockTTL` for one key. */
export type LockAttempt =
  | { readonly acquired: true; readonly token: string }
  /** Someone else holds the key: a lock (`locked`), or a value written since our read (`value`). */
  | { readonly acquired: false; readonly holder: 'locked' | 'value' };

/**
 * Tries to lock keys that read as missing: one pipeline per slot group, every reply drained.
 * A Redis error on any key releases the locks this call did get and throws: nothing waits on
 * a signal that cannot come.
 */
export async function tryLockKeys(
  ctx: EngineContext,
  op: string,
  keys: readonly string[],
): Promise<Map<string, LockAttempt>> {
  const attempts = new Map<string, LockAttempt>();
  const px = String(ctx.options.lockTTLMs);
  let failure: { key: string; error: Error } | undefined;
  const results = await Promise.allSettled(
    ctx.driver.groupBySlot(keys).map(async (group) => {
      const tokens = group.map(() => ctx.tokens.next());
      const replies = await ctx.driver.send(
        'lock',
        group.map((key, i) => ({ key, args: ['SET', key, tokens[i]!, 'NX', 'GET', 'PX', px] })),
      );
      group.forEach((key, i) => {
        const reply = replies[i] ?? null;
        if (reply instanceof Error) {
          ctx.metrics.redisError('lock');
          failure ??= { key, error: reply };
          return;
        }
        attempts.set(key, classify(ctx, reply, tokens[i]!));
        ctx.logger.debug('redcache: lock attempt', { op, key, acquired: reply === null });
      });
    }),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined || rejected !== undefined) {
    const acquired = new Map<string, string>();
    for (const [key, attempt] of attempts) if (attempt.acquired) acquired.set(key, attempt.token);
    await releaseLocks(ctx, acquired);
    if (rejected !== undefined) throw rejected.reason;
    throw new RedisCommandError(op, failure!.key, failure!.error);
  }
  return attempts;
}

function classify(ctx: EngineContext, reply: RedisReply, token: string): LockAttempt {
  if (reply === null) return { acquired: true, token };
  const bytes = typeof reply === 'string' ? new TextEncoder().encode(reply) : reply;
  const locked = bytes instanceof Uint8Array && startsWithBytes(bytes, ctx.lockPrefixBytes);
  return { acquired: false, holder: locked ? 'locked' : 'value' };
}

/**
 * Releases locks we hold (CAS delete: only where the key still holds our token). Best
 * effort: a failure is logged, and the lock then expires after lockTTL.
 */
export async function releaseLocks(ctx: EngineContext, locks: ReadonlyMap<string, string>): Promise<void> {
  if (locks.size === 0) return;
  for (const [key, token] of locks) if (ctx.heldLocks.get(key) === token) ctx.heldLocks.delete(key);
  await Promise.all(
    ctx.driver.groupBySlot(locks.keys()).map(async (group) => {
      try {
        const replies = await ctx.driver.evalScripts(
          'unlock',
          group.map((key) => ({ script: unlockScript, keys: [key], args: [locks.get(key)!] })),
        );
        replies.forEach((reply, i) => {
          if (reply instanceof Error)
            ctx.logger.warn('redcache: unlock failed', { key: group[i], error: reply.message });
        });
      } catch (error) {
        ctx.logger.warn('redcache: unlock failed', { keys: group, error: (error as Error).message });
      }
    }),
  );
}
