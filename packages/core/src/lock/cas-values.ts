import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import { RedisCommandError } from '../errors/errors.js';
import type { PushVerdict } from '../invalidation/invalidation-hub.js';
import { setIfLockedScript } from '../wire/scripts/set-if-locked.js';
import type { HeldLock } from './held-lock.js';

/** What the CAS of values needs. */
export type CasParts = Pick<EngineContext, 'driver' | 'hub' | 'metrics'>;

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
 * pipeline per slot group, the groups concurrently. Whether a written value may be kept is
 * decided once every group has answered: another client's write to a key whose group answered
 * first still counts. Never throws: a failed group fails its keys with a `RedisCommandError`.
 */
export async function casValues(
  ctx: CasParts,
  op: string,
  locks: ReadonlyMap<string, HeldLock>,
  envelopes: ReadonlyMap<string, Uint8Array>,
  ttlMs: number,
  originalOf: (key: string) => unknown,
): Promise<Map<string, CasResult>> {
  const replies = new Map<string, RedisReply | Error>();
  /** Keys of a group whose send failed as a whole: their result is that error. */
  const failed = new Map<string, Error>();
  const { verdict } = await ctx.hub.track(envelopes.keys(), () =>
    Promise.all(
      ctx.driver.groupBySlot(envelopes.keys()).map(async (group) => {
        try {
          const answered = await ctx.driver.evalScripts(
            op,
            group.map((key) => ({
              script: setIfLockedScript,
              keys: [key],
              args: [locks.get(key)!.token, envelopes.get(key)!, String(ttlMs)],
            })),
            'set',
          );
          for (const [i, key] of group.entries()) replies.set(key, answered[i] ?? null);
        } catch (error) {
          for (const key of group) failed.set(key, error as Error);
        }
      }),
    ),
  );
  const results = new Map<string, CasResult>(failed);
  for (const [key, reply] of replies) results.set(key, casResult(ctx, op, key, reply, verdict, originalOf));
  return results;
}

function casResult(
  ctx: CasParts,
  op: string,
  key: string,
  reply: RedisReply | Error,
  verdict: PushVerdict,
  originalOf: (key: string) => unknown,
): CasResult {
  if (reply === 1) return { keep: onlyOwnPush(verdict, key) };
  if (reply === 0 || reply === null) {
    ctx.metrics.lockLost(key);
    return 'lost';
  }
  ctx.metrics.redisError('set');
  const cause = reply instanceof Error ? reply : new Error(`unexpected CAS reply ${JSON.stringify(reply)}`);
  return new RedisCommandError(op, originalOf(key), cause);
}

/**
 * True when the only push for `key` while our write was in flight can be our own: a write
 * invalidates its writer once (the script re-arms tracking after its SET), so a second push,
 * or a flush, means another client changed the key after us and our value is already stale.
 */
export function onlyOwnPush(verdict: PushVerdict, key: string): boolean {
  return verdict.pushes(key) <= 1;
}
