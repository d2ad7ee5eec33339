import type { EngineContext } from './engine-context.js';
import { RedisCommandError } from './errors.js';
import type { HeldLock } from './held-lock.js';
import { setIfLockedScript } from './scripts/set-if-locked.js';

/** Per key: written; our lock was gone (`lost`, counted as lockLost); or the error. */
export type CasResult = 'written' | 'lost' | Error;

/**
 * Replaces our locks with values (envelopes; set-if-locked: CAS on the lock token, PX ttl), one
 * pipeline per slot group, the groups concurrently. Never throws: a failed group fails its
 * keys with a `RedisCommandError`.
 */
export async function casValues(
  ctx: EngineContext,
  op: string,
  locks: ReadonlyMap<string, HeldLock>,
  envelopes: ReadonlyMap<string, Uint8Array>,
  ttlMs: number,
  originalOf: (key: string) => unknown,
): Promise<Map<string, CasResult>> {
  const results = new Map<string, CasResult>();
  await Promise.all(
    ctx.driver.groupBySlot(envelopes.keys()).map(async (group) => {
      try {
        const replies = await ctx.driver.evalScripts(
          'set',
          group.map((key) => ({
            script: setIfLockedScript,
            keys: [key],
            args: [locks.get(key)!.token, envelopes.get(key)!, String(ttlMs)],
          })),
        );
        group.forEach((key, i) => {
          const reply = replies[i] ?? null;
          if (reply === 1) {
            results.set(key, 'written');
          } else if (reply === 0 || reply === null) {
            ctx.metrics.lockLost(key);
            results.set(key, 'lost');
          } else {
            ctx.metrics.redisError('set');
            const cause =
              reply instanceof Error ? reply : new Error(`unexpected CAS reply ${JSON.stringify(reply)}`);
            results.set(key, new RedisCommandError(op, originalOf(key), cause));
          }
        });
      } catch (error) {
        for (const key of group) results.set(key, error as Error);
      }
    }),
  );
  return results;
}
