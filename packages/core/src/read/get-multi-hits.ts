import type { CallOptions, MultiLoader } from '../cache.js';
import type { EngineContext } from '../engine/engine-context.js';
import { hasOwnResilience } from '../fail-safe/call-resilience.js';
import { releaseIdleScope } from '../flight/loader-scope.js';
import { dueHit } from '../near-cache/due-hit.js';
import { nearNow } from '../near-cache/near-clock.js';
import type { ViewCodecs } from '../view/view-codecs.js';

/**
 * `getMulti` when every key is a plain near-cache hit: only the result `Map` is built (no map
 * of Redis keys, no resilience, no closures). Undefined at the first key that is anything
 * else — a miss, a refresh due, a key codec that throws or gives no string, two keys that
 * share a Redis key, per-call fail-safe or loader-timeout options, a loader that is no
 * function — and then the full `getMulti` runs from the start and makes every check (the key
 * codec is deterministic, so it gives the same keys again).
 *
 * A key found in the near cache was checked (non-empty, well-formed) when it was stored, so a
 * hit needs no check of its own; a key that fails one is never found.
 */
export function getMultiHits<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttl: number,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
): Map<K, V> | undefined {
  const nearCache = engine.nearCache;
  if (nearCache === undefined || !Array.isArray(keys) || keys.length === 0) return undefined;
  if (typeof loader !== 'function') return undefined;
  if (hasOwnResilience(opts)) return undefined;
  const { keyCodec, codec } = view;
  const now = nearNow();
  const visit = nearCache.newVisit();
  const result = new Map<K, V>();
  for (const key of keys) {
    let redisKey: unknown;
    try {
      redisKey = keyCodec.encodeKey(key);
    } catch {
      return undefined;
    }
    if (typeof redisKey !== 'string') return undefined;
    const slot = nearCache.hit(redisKey, codec, now);
    if (slot < 0) return undefined;
    if (!nearCache.visitOnce(slot, visit)) {
      // The Redis key again: the same key given twice is read once; another key is the full path's error.
      if (result.has(key)) continue;
      return undefined;
    }
    if (engine.refresh !== undefined && dueHit(engine, nearCache, slot, redisKey, now, ttl) !== undefined)
      return undefined;
    result.set(key, nearCache.valueAt(slot) as V);
  }
  engine.metrics.cacheHits(result.size, view.name);
  releaseIdleScope();
  return result;
}
