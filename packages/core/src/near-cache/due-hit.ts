import type { EngineContext } from '../engine/engine-context.js';
import type { Hit } from '../refresh/refresh-stale.js';
import { mayRefresh } from '../refresh/xfetch.js';
import type { NearCache } from './near-cache.js';

/**
 * A near-cache hit (`slot`, from `hit` at `now`) as refresh-ahead takes it, or undefined when
 * refresh is off or the entry has too much life left to be due: only a hit that may be due
 * costs an object.
 */
export function dueHit(
  ctx: Pick<EngineContext, 'options' | 'refresh'>,
  nearCache: NearCache,
  slot: number,
  key: string,
  now: number,
  ttlMs: number,
): Hit | undefined {
  if (ctx.refresh === undefined) return undefined;
  const remainingMs = nearCache.expiresAtOf(slot) - now;
  if (!mayRefresh(ctx.options.refreshAfterFraction, remainingMs, ttlMs)) return undefined;
  const { deltaNs, raw } = nearCache.storedAt(slot);
  // Kept whenever refresh-ahead is on (see storeNear); an entry without them is not refreshed.
  return raw === undefined ? undefined : { key, remainingMs, deltaNs, raw };
}
