import type { EngineContext } from './engine-context.js';

/**
 * Keeps a decoded value in the near cache until min(the server's PTTL, the call's ttl). A
 * key already gone from Redis (PTTL -2) or expired is not kept.
 */
export function storeNear(
  ctx: EngineContext,
  key: string,
  value: unknown,
  codec: object,
  bytes: number,
  ttlMs: number,
  pttlMs: number,
): void {
  if (ctx.nearCache === undefined || pttlMs === -2 || pttlMs === 0) return;
  const life = pttlMs > 0 ? Math.min(pttlMs, ttlMs) : ttlMs;
  ctx.nearCache.set(key, value, codec, bytes, performance.now() + life);
}
