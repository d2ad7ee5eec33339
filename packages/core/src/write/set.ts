import type { CallOptions, Loader, MultiLoader } from '../cache.js';
import type { Codec } from '../codec.js';
import { maybeObserved } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { Duration } from '../input/duration.js';
import { encodeKeys } from '../input/encode-keys.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { multiLoad, singleLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { countWrites } from './count-writes.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { writeKeys } from './write-keys.js';

/** `set`: writes `key` through `loader` under a write lock (see docs/writes.md). */
export function set<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'set', view, [key], async (call) => {
    const ttl = toTtlMs(ttlMs, 'set', key);
    const originals = encodeKeys(view.keyCodec, [key], 'set');
    requireFunction(loader, 'set', key);
    assertCallable(engine.lifecycle, 'set', key, opts);
    const [redisKey] = originals.keys();
    const outcome = await writeKeys(engine, {
      op: 'set',
      view: view.name,
      ttlMs: ttl,
      codec: view.codec as Codec<unknown>,
      originals,
      load: singleLoad(key, redisKey!, loader),
      signal: opts?.signal,
    });
    throwFirst(outcome);
    if (call !== undefined) call.outcome = 'written';
  });
}

/** `setMulti`: `set` for many keys, one loader call; per-key failures in a `BatchKeyError`. */
export function setMulti<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: Duration,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'setMulti', view, keys, async (call) => {
    const ttl = toTtlMs(ttlMs, 'setMulti', keys);
    const originals = encodeKeys(view.keyCodec, keys, 'setMulti');
    if (originals.size === 0) return;
    requireFunction(loader, 'setMulti', keys);
    assertCallable(engine.lifecycle, 'setMulti', keys, opts);
    const outcome = await writeKeys(engine, {
      op: 'setMulti',
      view: view.name,
      ttlMs: ttl,
      codec: view.codec as Codec<unknown>,
      originals,
      load: multiLoad('setMulti', view.keyCodec, originals, loader),
      signal: opts?.signal,
    });
    countWrites(call, outcome);
    throwBatch('setMulti', outcome, originals);
  });
}
