import type { CallOptions, PeekResult } from '../cache.js';
import type { CallEvent } from '../diagnostics/call-event.js';
import { callKeys } from '../diagnostics/call-keys.js';
import { isObserved, observeCall } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import { releaseIdleScope } from '../flight/loader-scope.js';
import type { Duration } from '../input/duration.js';
import { assertWellFormedKey, encodeKeyForLookup } from '../input/encode-key.js';
import { toTtlMs } from '../input/ttl.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import { nearNow } from '../near-cache/near-clock.js';
import { storeNear } from '../near-cache/store-near.js';
import { decodeValue } from '../value/decode-value.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { type KeyState, readKeys } from './read-keys.js';

/**
 * `peek`: the stored value if there is one. Never loads, never locks, never waits. An observed
 * call goes through `observeCall` (outcome `nearHit`, `redisHit` or `notFound`).
 */
export function peek<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  opts: CallOptions | undefined,
): Promise<PeekResult<V>> {
  if (!isObserved(engine.metrics, 'peek')) return peekKey(engine, view, key, ttlMs, opts, undefined);
  return observeCall(engine.metrics, 'peek', view.name, callKeys(view.keyCodec, [key]), (call) =>
    peekKey(engine, view, key, ttlMs, opts, call),
  );
}

async function peekKey<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  opts: CallOptions | undefined,
  call: CallEvent | undefined,
): Promise<PeekResult<V>> {
  const ttl = toTtlMs(ttlMs, 'peek', key);
  // The near cache holds only keys found well-formed when stored: the scan is for a miss.
  const redisKey = encodeKeyForLookup(view.keyCodec, key, 'peek');
  const nearCache = engine.nearCache;
  const slot = nearCache === undefined ? -1 : nearCache.hit(redisKey, view.codec, nearNow());
  if (slot >= 0) {
    releaseIdleScope();
    if (call !== undefined) call.outcome = 'nearHit';
    return { found: true, value: nearCache!.valueAt(slot) as V };
  }
  assertWellFormedKey(redisKey, key, 'peek');
  opts?.signal?.throwIfAborted();
  const operation = engine.lifecycle.begin('peek', key, opts?.signal);
  let states: Map<string, KeyState>;
  try {
    states = await untilAborted(readKeys(engine, 'peek', [redisKey]), operation.signal);
  } finally {
    operation.end();
  }
  const state = states.get(redisKey);
  if (state?.kind !== 'value') {
    if (call !== undefined) call.outcome = 'notFound';
    return { found: false };
  }
  const value = decodeValue(view.codec, state.payload, 'peek', key);
  if (call !== undefined) call.outcome = 'redisHit';
  if (state.storable) {
    const stored = { value, codec: view.codec, raw: state.raw, deltaNs: state.deltaNs };
    storeNear(engine, redisKey, stored, ttl, state.pttlMs);
  }
  return { found: true, value };
}
