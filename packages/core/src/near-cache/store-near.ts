import type { EngineContext } from '../engine/engine-context.js';
import type { NearCacheValue } from './near-cache.js';

/** What storing in the near cache needs. */
export type NearParts = Pick<EngineContext, 'nearCache'>;

/** How long a value read with `pttlMs` left in Redis may live here: min(PTTL, ttl); 0 for none. */
export function nearLifeMs(ttlMs: number, pttlMs: number): number {
  if (pttlMs === -1) return ttlMs;
  return pttlMs > 0 ? Math.min(pttlMs, ttlMs) : 0;
}

/**
 * Keeps a decoded value in the near cache until min(the server's PTTL, the call's ttl). A
 * key already gone from Redis (PTTL -2) or expired is not kept.
 */
export function storeNear(
  ctx: NearParts,
  key: string,
  stored: NearCacheValue,
  ttlMs: number,
  pttlMs: number,
): void {
  const life = nearLifeMs(ttlMs, pttlMs);
  if (ctx.nearCache === undefined || life <= 0) return;
  ctx.nearCache.set(key, stored, performance.now() + life);
}
