import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { HeldLock } from '../lock/held-lock.js';

/** What taking refresh locks needs. */
export type RefreshLockParts = Pick<EngineContext, 'driver' | 'locks' | 'metrics' | 'options'>;

/** The refresh lock of a data key: `<refreshLockPrefix>{<dataKey>}`, as the Go library names it. */
export function refreshLockKey(prefix: string, key: string): string {
  return `${prefix}{${key}}`;
}

/**
 * Takes the refresh lock of each key: `SET <refresh lock key> <token> NX PX lockTTL`, one
 * pipeline per slot group. A lock held elsewhere is `refreshSkipped`, an error is a
 * `refreshError`. Locks won go to the lock manager, which renews them every lockTTL/3 while
 * the refresh runs (so a process that dies mid-refresh stops blocking the key within
 * lockTTL). Returns the refresh lock of each data key that got one.
 */
export async function lockForRefresh(
  ctx: RefreshLockParts,
  keys: readonly string[],
): Promise<Map<string, HeldLock>> {
  const lockKeyOf = new Map(keys.map((key) => [refreshLockKey(ctx.options.refreshLockPrefix, key), key]));
  const px = String(ctx.options.lockTTLMs);
  const locked = new Map<string, HeldLock>();
  let skipped = 0;
  await Promise.all(
    ctx.driver.groupBySlot(lockKeyOf.keys()).map(async (group) => {
      const tokens = group.map(() => ctx.locks.nextToken());
      let replies: Array<RedisReply | Error>;
      try {
        replies = await ctx.driver.send(
          'refresh',
          group.map((lockKey, i) => ({ key: lockKey, args: ['SET', lockKey, tokens[i]!, 'NX', 'PX', px] })),
        );
      } catch {
        for (const lockKey of group) ctx.metrics.refreshError(lockKeyOf.get(lockKey)!);
        return;
      }
      group.forEach((lockKey, i) => {
        const key = lockKeyOf.get(lockKey)!;
        const reply = replies[i] ?? null;
        if (reply === null) skipped++;
        else if (reply instanceof Error) ctx.metrics.refreshError(key);
        else {
          const lock = ctx.locks.hold('refresh', lockKey, tokens[i]!);
          if (lock !== undefined) locked.set(key, lock);
        }
      });
    }),
  );
  if (skipped > 0) ctx.metrics.refreshSkipped(skipped);
  return locked;
}
