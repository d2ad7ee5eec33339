import type { RedisReply } from '../driver.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { LoaderChoices } from '../loader/loader-choices.js';
import { planStore, ttlOfKey } from '../loader/store-plan.js';
import { type CasParts, onlyOwnPush } from '../lock/cas-values.js';
import type { NearParts } from '../near-cache/store-near.js';
import { keepWritten, writtenOf } from '../value/keep-written.js';
import { wrapAll } from '../value/wrap-all.js';
import { refreshSetScript } from '../wire/scripts/refresh-set.js';
import type { RefreshJob } from './refresh-job.js';

/** What a refresh write-back needs. */
export type WriteBackParts = CasParts & NearParts & Pick<EngineContext, 'options'>;

/**
 * Writes refreshed values back (refresh-set: only over the exact value seen when the refresh
 * was triggered, never over a lock), one pipeline per slot group, each with the ttl its loader
 * chose (`setTtl`, else the job's); a value it chose not to store (`skipStore`) is not written
 * back (the value seen stays until it expires). Whether this process keeps a value is decided
 * once every group has answered. Resolves to how many values were sent back (0: the loader
 * chose `skipStore` for every one).
 */
export async function writeBack(
  ctx: WriteBackParts,
  job: RefreshJob,
  encoded: ReadonlyMap<string, string | Uint8Array>,
  deltaNs: number,
  choices?: LoaderChoices,
): Promise<number> {
  const envelopes = wrapAll(encoded, deltaNs);
  const { stored, ttlMs } = planStore(envelopes, job.ttlMs, choices);
  if (stored.size === 0) return 0;
  const answered: Array<{ group: string[]; replies: Array<RedisReply | Error> }> = [];
  const { verdict } = await ctx.hub.track(stored.keys(), () =>
    Promise.all(
      ctx.driver.groupBySlot(stored.keys()).map(async (group) => {
        try {
          const replies = await ctx.driver.evalScripts(
            'refresh',
            group.map((key) => ({
              script: refreshSetScript,
              keys: [key],
              args: [
                envelopes.get(key)!,
                String(ttlOfKey(ttlMs, key)),
                ctx.options.lockPrefix,
                job.expected.get(key)!,
              ],
            })),
          );
          answered.push({ group, replies });
        } catch {
          for (const key of group) ctx.metrics.refreshError(key);
        }
      }),
    ),
  );
  for (const { group, replies } of answered) {
    group.forEach((key, i) => {
      const reply = replies[i];
      if (reply instanceof Error || (reply !== 0 && reply !== 1)) {
        ctx.metrics.refreshError(key);
      } else if (reply === 1) {
        const written = writtenOf(key, job.originals.get(key), encoded, envelopes, deltaNs);
        try {
          keepWritten(ctx, 'refresh', job.codec, written, ttlOfKey(ttlMs, key), onlyOwnPush(verdict, key));
        } catch {
          // Written, but the codec cannot read it back: nothing to keep locally.
        }
      }
    });
  }
  return stored.size;
}
