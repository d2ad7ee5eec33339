import type { RuntimeDriver } from '../driver/runtime-driver.js';
import type { Logger } from '../logger.js';
import { extendLockScript } from '../wire/scripts/extend-lock.js';
import type { HeldLock } from './held-lock.js';

/**
 * One renewal round: a CAS PEXPIRE (extend-lock) per lock, one pipeline per slot group, the
 * groups concurrently. Returns the locks found gone (overwritten, deleted or expired): they
 * need no more renewing, and the final CAS of their holder reports them.
 */
export async function renewRound(
  driver: RuntimeDriver,
  logger: Logger,
  lockTTLMs: number,
  locks: readonly HeldLock[],
): Promise<HeldLock[]> {
  const byKey = new Map(locks.map((lock) => [lock.key, lock]));
  const gone: HeldLock[] = [];
  const ttl = String(lockTTLMs);
  await Promise.all(
    driver.groupBySlot(byKey.keys()).map(async (group) => {
      try {
        const replies = await driver.evalScripts(
          'renew',
          group.map((key) => ({ script: extendLockScript, keys: [key], args: [byKey.get(key)!.token, ttl] })),
        );
        replies.forEach((reply, i) => {
          const lock = byKey.get(group[i]!)!;
          if (reply === 0 || reply === null) gone.push(lock);
          else if (reply instanceof Error)
            logger.warn('redcache: lock renewal failed', {
              op: 'renew',
              key: lock.key,
              error: reply.message,
            });
        });
      } catch (error) {
        logger.warn('redcache: lock renewal failed', {
          op: 'renew',
          keys: group,
          error: (error as Error).message,
        });
      }
    }),
  );
  return gone;
}
