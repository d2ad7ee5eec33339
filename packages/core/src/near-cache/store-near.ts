import type { EngineContext } from '../engine/engine-context.js';
import type { NearCacheValue } from './near-cache.js';

/** What storing in the near cache needs (the Conn's fail-safe says how long a fallback is kept). */
export type NearParts = Pick<EngineContext, 'nearCache' | 'options'>;

/** How long a value read with `pttlMs` left in Redis may live here: min(PTTL, ttl); 0 for none. */
export function nearLifeMs(ttlMs: number, pttlMs: number): number {
  if (pttlMs === -1) return ttlMs;
  return pttlMs > 0 ? Math.min(pttlMs, ttlMs) : 0;
}

/** How long an entry stays a fallback after it stops being fresh: the call's fail-safe, else the Conn's. */
export function staleMsOf(ctx: Pick<EngineContext, 'options'>, staleMs: number | undefined): number {
  if (staleMs !== undefined) return staleMs;
  const failSafe = ctx.options.failSafe;
  return failSafe === false ? 0 : failSafe.maxStaleMs;
}

/**
 * Keeps a decoded value in the near cache until min(the server's PTTL, the call's ttl), then
 * as a fallback for `staleMs` (default: the Conn's `failSafe.maxStaleMs`, 0 without). A key
 * already gone from Redis (PTTL -2) or expired is not kept. The entry keeps the stored bytes
 * only when refresh-ahead is on (its write-back compares them) or it may become a fallback.
 */
export function storeNear(
  ctx: NearParts,
  key: string,
  stored: NearCacheValue,
  ttlMs: number,
  pttlMs: number,
  staleMs?: number,
): void {
  const life = nearLifeMs(ttlMs, pttlMs);
  if (ctx.nearCache === undefined || life <= 0) return;
  const keepBytes = ctx.options.refreshAfterFraction > 0;
  ctx.nearCache.set(key, stored, performance.now() + life, staleMsOf(ctx, staleMs), keepBytes);
}
