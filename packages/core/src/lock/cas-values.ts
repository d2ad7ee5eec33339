import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { PushTicket } from '../invalidation/invalidation-hub.js';
import { setIfLockedScript } from '../wire/scripts/set-if-locked.js';
import type { HeldLock } from './held-lock.js';

/**
 * Per key: written (and whether this process may keep the value: no one else wrote the key
 * before the reply was handled); our lock was gone (`lost`, counted as lockLost); or the error.
 */
export type CasResult = Written | 'lost' | Error;

export interface Written {
  readonly keep: boolean;
}

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
      const ticket = ctx.hub.beginTicket(group);
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
            results.set(key, { keep: onlyOwnPush(ticket, key) });
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
      } finally {
        ticket.end();
      }
    }),
  );
  return results;
}

/**
 * True when the only push for `key` while our write was in flight can be our own: a write
 * invalidates its writer once (the script re-arms tracking after its SET), so a second push,
 * or a flush, means another client changed the key after us and our value is already stale.
 */
export function onlyOwnPush(ticket: PushTicket, key: string): boolean {
  return ticket.pushes(key) <= 1;
}
