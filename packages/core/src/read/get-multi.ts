import type { CallOptions, MultiLoader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { CallEvent } from '../diagnostics/call-event.js';
import { callKeys } from '../diagnostics/call-keys.js';
import { countOutcome, keyOutcomeOf } from '../diagnostics/key-outcome.js';
import { isObserved, observeCall } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import { callResilience } from '../fail-safe/call-resilience.js';
import { fallbackOffer } from '../fail-safe/fallback-offer.js';
import { joinOrLoad } from '../flight/join-or-load.js';
import type { Duration } from '../input/duration.js';
import { encodeKeys } from '../input/encode-keys.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { dueHit } from '../near-cache/due-hit.js';
import { nearNow } from '../near-cache/near-clock.js';
import { type Hit, refreshStale } from '../refresh/refresh-stale.js';
import { multiLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { getMultiHits, START_OVER } from './get-multi-hits.js';
import { takeOutcome } from './take-outcome.js';

/**
 * `getMulti`: near-cache hits first; every other key joins or starts its flight, and the keys
 * this call starts share one loader call. Duplicates are read once. Fail-safe is per key: a
 * key whose flight fails gets its own fallback, if one is at hand (see `get`).
 *
 * Not an `async` function (see `get`): when every key hits, the result `Map` and its settled
 * promise are all it builds (`getMultiHits`). Otherwise the full path goes on from the first
 * key that is no plain hit, keeping the hits before it (a call with a rarer case starts over
 * here). Errors still reject. An observed call goes through `observeCall` (see `get`).
 */
export function getMulti<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: Duration,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
): Promise<Map<K, V>> {
  if (!isObserved(engine.metrics, 'getMulti'))
    return getKeys(engine, view, keys, ttlMs, loader, opts, undefined);
  return observeCall(engine.metrics, 'getMulti', view.name, callKeys(view.keyCodec, keys), (call) =>
    getKeys(engine, view, keys, ttlMs, loader, opts, call),
  );
}

/** `getMulti` itself; with `call` (an observed call), it counts each key's outcome. */
function getKeys<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: Duration,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
  call: CallEvent | undefined,
): Promise<Map<K, V>> {
  try {
    const ttl = toTtlMs(ttlMs, 'getMulti', keys);
    const result = new Map<K, V>();
    const stop = getMultiHits(engine, view, keys, ttl, loader, opts, result);
    // `stop` is an index only for an array of keys (otherwise START_OVER, and encodeKeys names the mistake).
    if (stop !== START_OVER && stop === keys.length) {
      if (call !== undefined) countOutcome(call, 'nearHit', call.keyCount);
      return Promise.resolve(result);
    }
    if (stop === START_OVER) result.clear();
    const originals = encodeKeys(view.keyCodec, keys, 'getMulti');
    const resilience = callResilience(engine.options, opts, 'getMulti', keys);
    if (originals.size === 0) return Promise.resolve(result);
    requireFunction(loader, 'getMulti', keys);
    const codec = view.codec as Codec<unknown>;
    const nearCache = engine.nearCache;
    const now = nearCache === undefined ? 0 : nearNow();
    let missing: string[] | undefined;
    let due: Hit[] | undefined;
    // The hits getMultiHits took before it stopped: `originals`' first entries, in the same order.
    let hits = result.size;
    let taken = hits;
    // The result in the callers' key order: a miss holds its place until its flight settles.
    for (const [redisKey, key] of originals) {
      if (taken > 0) {
        taken--;
        continue;
      }
      const slot = nearCache === undefined ? -1 : nearCache.hit(redisKey, codec, now);
      if (slot < 0) {
        if (missing === undefined) missing = [redisKey];
        else missing.push(redisKey);
        result.set(key, undefined as V);
        continue;
      }
      hits++;
      result.set(key, nearCache!.valueAt(slot) as V);
      const hit = dueHit(engine, nearCache!, slot, redisKey, now, ttl);
      if (hit === undefined) continue;
      if (due === undefined) due = [hit];
      else due.push(hit);
    }
    if (hits > 0) {
      engine.metrics.cacheHits(hits, view.name);
      if (call !== undefined) countOutcome(call, 'nearHit', hits);
    }
    if (due === undefined && missing === undefined) return Promise.resolve(result);
    const load = multiLoad('getMulti', view.keyCodec, originals, loader);
    if (due !== undefined) refreshStale(engine, due, ttl, codec, originals, load, 'getMulti', view.name);
    if (missing === undefined) return Promise.resolve(result);
    assertCallable(engine.lifecycle, 'getMulti', keys, opts);
    const request = { op: 'getMulti', view: view.name, ttlMs: ttl, codec, originals, load, ...resilience };
    const offerOf = (key: string) => fallbackOffer(engine, key, codec, resilience.failSafe, view.name);
    // Which flights this call starts: its keys loaded, the others waited (only when observed).
    const starts =
      call === undefined ? undefined : missing.map((key) => engine.flights.get(key) === undefined);
    const joined = joinOrLoad(engine, request, missing, opts?.signal, offerOf);
    return settleMisses(engine, view, originals, missing, joined, result, call, starts);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Fills the places the misses hold in `result` with what their flights settle to; counts each
 * in `call`, when observed (`starts[i]`: whether this call started `missing[i]`'s flight).
 */
async function settleMisses<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  originals: ReadonlyMap<string, K>,
  missing: readonly string[],
  joined: ReturnType<typeof joinOrLoad>,
  result: Map<K, V>,
  call: CallEvent | undefined,
  starts: readonly boolean[] | undefined,
): Promise<Map<K, V>> {
  const outcomes = await Promise.all(joined);
  outcomes.forEach((outcome, i) => {
    const key = originals.get(missing[i]!)!;
    result.set(key, takeOutcome(engine.metrics, view, outcome, 'getMulti', key));
    if (call !== undefined) countOutcome(call, keyOutcomeOf(outcome.source, starts![i]!), 1);
  });
  return result;
}
