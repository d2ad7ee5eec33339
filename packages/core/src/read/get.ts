import type { CallOptions, Loader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { CallEvent } from '../diagnostics/call-event.js';
import { callKeys } from '../diagnostics/call-keys.js';
import { keyOutcomeOf } from '../diagnostics/key-outcome.js';
import { isObserved, observeCall } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import { type CallResilience, callResilience, hasOwnResilience } from '../fail-safe/call-resilience.js';
import { fallbackOffer } from '../fail-safe/fallback-offer.js';
import { joinFlight, joinOrLoad } from '../flight/join-or-load.js';
import { releaseIdleScope } from '../flight/loader-scope.js';
import type { Duration } from '../input/duration.js';
import { assertWellFormedKey, encodeKeyForLookup } from '../input/encode-key.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { dueHit } from '../near-cache/due-hit.js';
import { nearNow } from '../near-cache/near-clock.js';
import { refreshStale } from '../refresh/refresh-stale.js';
import { singleLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import type { ReadRequest } from './load-request.js';
import { takeOutcome } from './take-outcome.js';

/**
 * `get`: the near cache, else the key's flight (read, lock, load or wait across processes).
 * With fail-safe, a failed flight (loader error or timeout, Redis down) or a loader past its
 * soft timeout gives this caller the key's fallback instead, when one is at hand.
 *
 * Not an `async` function: a hit returns a settled promise and allocates nothing else (an
 * async function's frame holds every local of the miss path too). Errors still reject. A call
 * that is observed (`redcache:get` has subscribers, or the Metrics times calls) goes through
 * `observeCall`; one that is not builds nothing for it.
 */
export function get<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
): Promise<V> {
  if (!isObserved(engine.metrics, 'get')) return getKey(engine, view, key, ttlMs, loader, opts, undefined);
  return observeCall(engine.metrics, 'get', view.name, callKeys(view.keyCodec, [key]), (call) =>
    getKey(engine, view, key, ttlMs, loader, opts, call),
  );
}

/** `get` itself; with `call` (an observed call), it sets the call's outcome. */
function getKey<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
  call: CallEvent | undefined,
): Promise<V> {
  try {
    const ttl = toTtlMs(ttlMs, 'get', key);
    // The near cache holds only keys found well-formed when stored: the scan is for a miss.
    const redisKey = encodeKeyForLookup(view.keyCodec, key, 'get');
    const codec = view.codec as Codec<unknown>;
    const nearCache = engine.nearCache;
    if (nearCache !== undefined) {
      const now = nearNow();
      const slot = nearCache.hit(redisKey, codec, now);
      if (slot >= 0) {
        // A call's own fail-safe or loader timeout is checked hit or miss; the Conn's is looked up on a miss only.
        if (hasOwnResilience(opts)) callResilience(engine.options, opts, 'get', key);
        engine.metrics.cacheHits(1, view.name);
        releaseIdleScope();
        if (call !== undefined) call.outcome = 'nearHit';
        const value = nearCache.valueAt(slot) as V;
        const due =
          engine.refresh === undefined ? undefined : dueHit(engine, nearCache, slot, redisKey, now, ttl);
        if (due !== undefined) {
          const originals = new Map([[redisKey, key]]);
          const load = singleLoad(key, redisKey, loader);
          refreshStale(engine, [due], ttl, codec, originals, load, 'get', view.name);
        }
        return Promise.resolve(value);
      }
    }
    assertWellFormedKey(redisKey, key, 'get');
    const resilience = opts === undefined ? undefined : callResilience(engine.options, opts, 'get', key);
    return getOnMiss(engine, view, key, redisKey, ttl, loader, opts, resilience, call);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * `get` past the near cache: the key's flight, with the call's fail-safe (a call that joins one
 * under way builds no request for a load it does not start). Not an `async`
 * function (its frame would stay suspended while the loader runs): it may throw, and `getKey`
 * turns that into a rejection.
 */
function getOnMiss<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  redisKey: string,
  ttl: number,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
  callOwn: CallResilience | undefined,
  call: CallEvent | undefined,
): Promise<V> {
  const resilience = callOwn ?? callResilience(engine.options, undefined, 'get', key);
  const codec = view.codec as Codec<unknown>;
  requireFunction(loader, 'get', key);
  assertCallable(engine.lifecycle, 'get', key, opts);
  const offer = fallbackOffer(engine, redisKey, codec, resilience.failSafe, view.name);
  const under = engine.flights.get(redisKey);
  const startsHere = call !== undefined && under === undefined;
  const joined =
    under !== undefined
      ? joinFlight(engine, 'get', key, under, opts?.signal, offer)
      : joinOrLoad(
          engine,
          getRequest(view, key, redisKey, ttl, codec, loader, resilience),
          [redisKey],
          opts?.signal,
          offer === undefined ? undefined : () => offer,
        )[0]!;
  return joined.then((outcome) => {
    if (call !== undefined) call.outcome = keyOutcomeOf(outcome.source, startsHere);
    return takeOutcome(engine.metrics, view, outcome, 'get', key);
  });
}

/** The request of a `get` that starts its key's flight. */
function getRequest<K, V>(
  view: ViewCodecs<K, V>,
  key: K,
  redisKey: string,
  ttl: number,
  codec: Codec<unknown>,
  loader: Loader<K, V>,
  resilience: CallResilience,
): ReadRequest {
  return {
    op: 'get',
    view: view.name,
    ttlMs: ttl,
    codec,
    originals: new Map<string, unknown>().set(redisKey, key),
    load: singleLoad(key, redisKey, loader),
    // Its fields named, not spread (a spread copies them one by one, per miss).
    failSafe: resilience.failSafe,
    loaderTimeout: resilience.loaderTimeout,
    staleMs: resilience.staleMs,
  };
}
