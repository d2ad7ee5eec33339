import type { CallOptions, Loader, MultiLoader } from '../cache.js';
import type { Codec } from '../codec.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { Duration } from '../input/duration.js';
import { encodeKeys } from '../input/encode-keys.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { multiLoad, singleLoad } from '../view/loader-calls.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { writeKeys } from './write-keys.js';

/** `set`: writes `key` through `loader` under a write lock (see docs/writes.md). */
export async function set<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  loader: Loader<K, V>,
  opts: CallOptions | undefined,
): Promise<void> {
  const ttl = toTtlMs(ttlMs, 'set', key);
  const originals = encodeKeys(view.keyCodec, [key], 'set');
  requireFunction(loader, 'set', key);
  assertCallable(engine.lifecycle, 'set', key, opts);
  const [redisKey] = originals.keys();
  const outcome = await writeKeys(engine, {
    op: 'set',
    ttlMs: ttl,
    codec: view.codec as Codec<unknown>,
    originals,
    load: singleLoad(key, redisKey!, loader),
    signal: opts?.signal,
  });
  throwFirst(outcome);
}

/** `setMulti`: `set` for many keys, one loader call; per-key failures in a `BatchKeyError`. */
export async function setMulti<K, V>(
  engine: EngineContext,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: Duration,
  loader: MultiLoader<K, V>,
  opts: CallOptions | undefined,
): Promise<void> {
  const ttl = toTtlMs(ttlMs, 'setMulti', keys);
  const originals = encodeKeys(view.keyCodec, keys, 'setMulti');
  if (originals.size === 0) return;
  requireFunction(loader, 'setMulti', keys);
  assertCallable(engine.lifecycle, 'setMulti', keys, opts);
  const outcome = await writeKeys(engine, {
    op: 'setMulti',
    ttlMs: ttl,
    codec: view.codec as Codec<unknown>,
    originals,
    load: multiLoad('setMulti', view.keyCodec, originals, loader),
    signal: opts?.signal,
  });
  throwBatch('setMulti', outcome, originals);
}
