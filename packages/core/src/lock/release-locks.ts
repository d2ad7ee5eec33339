import type { RuntimeDriver, ScriptCall } from '../driver/runtime-driver.js';
import type { Logger } from '../logger.js';
import { restoreValueScript } from '../wire/scripts/restore-value.js';
import { unlockScript } from '../wire/scripts/unlock.js';
import { type HeldLock, remainingTtlMs } from './held-lock.js';

/**
 * Sends the release of locks, only where each key still holds our token: a lock with nothing
 * saved is deleted; a write lock puts back the value it replaced, with the life it had left (or
 * deletes the key when it would have expired by now). One pipeline per slot group. Best effort:
 * a failure is logged, and the lock then expires after lockTTL.
 */
export async function sendReleases(
  driver: RuntimeDriver,
  logger: Logger,
  op: string,
  locks: readonly HeldLock[],
): Promise<void> {
  if (locks.length === 0) return;
  const byKey = new Map(locks.map((lock) => [lock.key, lock]));
  const now = performance.now();
  await Promise.all(
    driver.groupBySlot(byKey.keys()).map(async (group) => {
      try {
        const replies = await driver.evalScripts(
          op,
          group.map((key) => releaseCall(byKey.get(key)!, now)),
          'unlock',
        );
        replies.forEach((reply, i) => {
          if (reply instanceof Error)
            logger.warn('redcache: unlock failed', { op, key: group[i], error: reply.message });
        });
      } catch (error) {
        logger.warn('redcache: unlock failed', {
          op: 'unlock',
          keys: group,
          error: (error as Error).message,
        });
      }
    }),
  );
}

function releaseCall(lock: HeldLock, now: number): ScriptCall {
  const ttl = lock.saved === undefined ? undefined : remainingTtlMs(lock.saved, now);
  if (lock.saved === undefined || ttl === undefined)
    return { script: unlockScript, keys: [lock.key], args: [lock.token] };
  return {
    script: restoreValueScript,
    keys: [lock.key],
    args: [lock.token, '1', lock.saved.raw, String(ttl)],
  };
}
