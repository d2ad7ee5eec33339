import type { CallOptions, MultiLoader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { EngineContext } from '../engine/engine-context.js';
import { callResilience } from '../fail-safe/call-resilience.js';
import { fallbackOffer } from '../fail-safe/fallback-offer.js';
import { joinOrLoad } from '../flight/join-or-load.js';
import { encodeKeys } from '../input/encode-keys.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { type Hit, refreshStale } from '../refresh/refresh-stale.js';
import { multiLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { takeOutcome } from './take-outcome.js';

/**
 * `getMulti`: near-cache hits first; every other key joins or starts its flight, and the keys
 * this call starts share one loader call. Duplicates are read once. Fail-safe is per key: a
 * key whose flight fails gets its own fallback, if one is at hand (see `get`).
 */
export async function getMulti<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: number,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
): Promise<Map<K, V>> {
  const ttl = toTtlMs(ttlMs, 'getMulti', keys);
  const originals = encodeKeys(view.keyCodec, keys, 'getMulti');
  const resilience = callResilience(engine.options, opts, 'getMulti', keys);
  const result = new Map<K, V>();
  if (originals.size === 0) return result;
  requireFunction(loader, 'getMulti', keys);
  const codec = view.codec as Codec<unknown>;
  const found = new Map<string, V>();
  const missing: string[] = [];
  const hits: Hit[] = [];
  const now = performance.now();
  for (const redisKey of originals.keys()) {
    const entry = engine.nearCache?.get(redisKey, codec, now);
    if (entry === undefined) {
      missing.push(redisKey);
      continue;
    }
    found.set(redisKey, entry.value as V);
    if (engine.refresh !== undefined) {
      hits.push({
        key: redisKey,
        remainingMs: entry.expiresAt - now,
        deltaNs: entry.deltaNs,
        raw: entry.raw,
      });
    }
  }
  const load = multiLoad('getMulti', view.keyCodec, originals, loader);
  if (found.size > 0) engine.metrics.cacheHits(found.size);
  if (hits.length > 0) refreshStale(engine, hits, ttl, codec, originals, load);
  if (missing.length > 0) {
    assertCallable(engine.lifecycle, 'getMulti', keys, opts);
    const request = { op: 'getMulti', ttlMs: ttl, codec, originals, load, ...resilience };
    const offerOf = (key: string) => fallbackOffer(engine, key, codec, resilience.failSafe);
    const outcomes = await Promise.all(joinOrLoad(engine, request, missing, opts?.signal, offerOf));
    outcomes.forEach((outcome, i) => {
      const redisKey = missing[i]!;
      found.set(
        redisKey,
        takeOutcome(engine.metrics, view.codec, outcome, 'getMulti', originals.get(redisKey)),
      );
    });
  }
  for (const [redisKey, key] of originals) result.set(key, found.get(redisKey)!);
  return result;
}
