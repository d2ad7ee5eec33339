import type { CallOptions, Loader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { EngineContext } from '../engine/engine-context.js';
import { joinOrLoad } from '../flight/join-or-load.js';
import { encodeKey } from '../input/encode-key.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { refreshStale } from '../refresh/refresh-stale.js';
import { singleLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { takeOutcome } from './take-outcome.js';

/** `get`: the near cache, else the key's flight (read, lock, load or wait across processes). */
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
  };
  const [joined] = joinOrLoad(engine, request, [redisKey], opts?.signal);
  return takeOutcome(engine.metrics, view.codec, await joined!, 'get', key);
}
