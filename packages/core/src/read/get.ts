import type { CallOptions, Loader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { EngineContext } from '../engine/engine-context.js';
import { callResilience } from '../fail-safe/call-resilience.js';
import { fallbackOffer } from '../fail-safe/fallback-offer.js';
import { joinOrLoad } from '../flight/join-or-load.js';
import { encodeKey } from '../input/encode-key.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { refreshStale } from '../refresh/refresh-stale.js';
import { singleLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { takeOutcome } from './take-outcome.js';

/**
 * `get`: the near cache, else the key's flight (read, lock, load or wait across processes).
 * With fail-safe, a failed flight (loader error or timeout, Redis down) or a loader past its
 * soft timeout gives this caller the key's fallback instead, when one is at hand.
 */
export async function get<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: number,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
): Promise<V> {
  const ttl = toTtlMs(ttlMs, 'get', key);
  const redisKey = encodeKey(view.keyCodec, key, 'get');
  const resilience = callResilience(engine.options, opts, 'get', key);
  const codec = view.codec as Codec<unknown>;
  const now = performance.now();
  const entry = engine.nearCache?.get(redisKey, codec, now);
  if (entry !== undefined) {
    engine.metrics.cacheHits(1);
    if (engine.refresh !== undefined) {
      const hit = {
        key: redisKey,
        remainingMs: entry.expiresAt - now,
        deltaNs: entry.deltaNs,
        raw: entry.raw,
      };
      refreshStale(engine, [hit], ttl, codec, new Map([[redisKey, key]]), singleLoad(key, redisKey, loader));
    }
    return entry.value as V;
  }
  requireFunction(loader, 'get', key);
  assertCallable(engine.lifecycle, 'get', key, opts);
  const request = {
    op: 'get',
    ttlMs: ttl,
    codec,
    originals: new Map([[redisKey, key]]),
    load: singleLoad(key, redisKey, loader),
    ...resilience,
  };
  const offer = fallbackOffer(engine, redisKey, codec, resilience.failSafe);
  const [joined] = joinOrLoad(engine, request, [redisKey], opts?.signal, () => offer);
  return takeOutcome(engine.metrics, view.codec, await joined!, 'get', key);
}
