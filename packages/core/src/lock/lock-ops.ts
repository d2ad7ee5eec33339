import type { ScriptCall } from '../driver/runtime-driver.js';
import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import { startsWithBytes } from '../wire/envelope.js';
import { restoreValueScript } from '../wire/scripts/restore-value.js';
import { unlockScript } from '../wire/scripts/unlock.js';
import { type HeldLock, remainingTtlMs } from './held-lock.js';

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
    const acquired = new Map<string, HeldLock>();
    for (const [key, attempt] of attempts) if (attempt.acquired) acquired.set(key, { token: attempt.token });
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

/** Records locks as held by this process (so `close()` can release them). */
export function holdLocks(ctx: EngineContext, locks: ReadonlyMap<string, HeldLock>): void {
  for (const [key, lock] of locks) ctx.heldLocks.set(key, lock);
}

/** Forgets locks without releasing them (written over, lost, or released by close). */
export function forgetLocks(ctx: EngineContext, locks: ReadonlyMap<string, HeldLock>): void {
  for (const [key, lock] of locks) if (ctx.heldLocks.get(key) === lock) ctx.heldLocks.delete(key);
}

/**
 * Releases locks we hold, only where the key still holds our token: a read lock is deleted;
 * a write lock puts back the value it replaced, with the life it had left (or deletes the
 * key when there was none, or it would have expired by now). Best effort: a failure is
 * logged, and the lock then expires after lockTTL.
 */
export async function releaseLocks(ctx: EngineContext, locks: ReadonlyMap<string, HeldLock>): Promise<void> {
  if (locks.size === 0) return;
  forgetLocks(ctx, locks);
  const now = performance.now();
  await Promise.all(
    ctx.driver.groupBySlot(locks.keys()).map(async (group) => {
      try {
        const replies = await ctx.driver.evalScripts(
          'unlock',
          group.map((key) => releaseCall(key, locks.get(key)!, now)),
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

function releaseCall(key: string, lock: HeldLock, now: number): ScriptCall {
  const ttl = lock.saved === undefined ? undefined : remainingTtlMs(lock.saved, now);
  if (lock.saved === undefined || ttl === undefined)
    return { script: unlockScript, keys: [key], args: [lock.token] };
  return { script: restoreValueScript, keys: [key], args: [lock.token, '1', lock.saved.raw, String(ttl)] };
}
