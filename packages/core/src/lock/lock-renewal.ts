import type { EngineContext } from '../engine/engine-context.js';
import { extendLockScript } from '../wire/scripts/extend-lock.js';
import type { HeldLock } from './held-lock.js';

export interface LockRenewal {
  /** Keys whose lock was found gone while renewing. */
  readonly lost: ReadonlySet<string>;
  stop(): void;
}

/**
 * Keeps locks alive while a loader runs: every lockTTL/3, a CAS PEXPIRE per lock, one
 * pipeline per slot group. A lock found gone stops being renewed (the final CAS reports it).
 * Renewal stops on close too, even if the loader never returns.
 */
export function renewLocks(ctx: EngineContext, locks: ReadonlyMap<string, HeldLock>): LockRenewal {
  const live = new Map([...locks].map(([key, lock]) => [key, lock.token]));
  const lost = new Set<string>();
  const ttl = String(ctx.options.lockTTLMs);
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running || stopped || live.size === 0) return;
    running = true;
    try {
      await Promise.all(
        ctx.driver.groupBySlot(live.keys()).map(async (group) => {
          const replies = await ctx.driver.evalScripts(
            'renew',
            group.map((key) => ({ script: extendLockScript, keys: [key], args: [live.get(key)!, ttl] })),
          );
          replies.forEach((reply, i) => {
            const key = group[i]!;
            if (reply === 0 || reply === null) {
              live.delete(key);
              lost.add(key);
            } else if (reply instanceof Error) {
              ctx.logger.warn('redcache: lock renewal failed', { key, error: reply.message });
            }
          });
        }),
      );
    } catch (error) {
      if (!stopped) ctx.logger.warn('redcache: lock renewal failed', { error: (error as Error).message });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, Math.max(1, Math.floor(ctx.options.lockTTLMs / 3)));
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    ctx.closeSignal.removeEventListener('abort', stop);
  };
  ctx.closeSignal.addEventListener('abort', stop, { once: true });
  return { lost, stop };
}
