import type { CallOptions, MultiLoader } from '../cache.js';
import type { EngineContext } from '../engine/engine-context.js';
import { hasOwnResilience } from '../fail-safe/call-resilience.js';
import { releaseIdleScope } from '../flight/loader-scope.js';
import { dueHit } from '../near-cache/due-hit.js';
import { nearNow } from '../near-cache/near-clock.js';
import type { ViewCodecs } from '../view/view-codecs.js';

/** What `getMultiHits` returns when the full `getMulti` must run from the start. */
export const START_OVER = -1;

/**
 * `getMulti`'s first pass: takes the callers' keys into `result`, in order, for as long as
 * each is a plain near-cache hit. Returns
 * - `keys.length` when every key is one: the call is done, and `result` (its hits counted) is
 *   all it built — no map of Redis keys, no resilience, no closures;
 * - the index of the first key that is a miss or a hit whose refresh is due: `result` holds
 *   the keys before it (uncounted), which the full `getMulti` keeps instead of reading them again;
 * - `START_OVER` for anything else — a key codec that throws or gives no string, two keys that
 *   share a Redis key, per-call fail-safe or loader-timeout options, a loader that is no
 *   function, no keys, no near cache — and then the full `getMulti` empties `result` and runs
 *   from the start, making every check (the key codec is deterministic, so it gives the same
 *   keys again).
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
  result: Map<K, V>,
): number {
  const nearCache = engine.nearCache;
  if (nearCache === undefined || !Array.isArray(keys) || keys.length === 0) return START_OVER;
  if (typeof loader !== 'function') return START_OVER;
  if (hasOwnResilience(opts)) return START_OVER;
  const { keyCodec, codec } = view;
  const now = nearNow();
  const visit = nearCache.newVisit();
  let index = -1;
  for (const key of keys) {
    index++;
    let redisKey: unknown;
    try {
      redisKey = keyCodec.encodeKey(key);
    } catch {
      return START_OVER;
    }
    if (typeof redisKey !== 'string') return START_OVER;
    const slot = nearCache.hit(redisKey, codec, now);
    if (slot < 0) return index;
    if (!nearCache.visitOnce(slot, visit)) {
      // The Redis key again: the same key given twice is read once; another key is the full path's error.
      if (result.has(key)) continue;
      return START_OVER;
    }
    if (engine.refresh !== undefined && dueHit(engine, nearCache, slot, redisKey, now, ttl) !== undefined)
      return index;
    result.set(key, nearCache.valueAt(slot) as V);
  }
  engine.metrics.cacheHits(result.size, view.name);
  releaseIdleScope();
  return keys.length;
}
