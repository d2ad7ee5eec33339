import type { CallOptions } from '../cache.js';
import { maybeObserved } from '../diagnostics/observe-call.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { Duration } from '../input/duration.js';
import { encodeKeys } from '../input/encode-keys.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { touchScript } from '../wire/scripts/touch.js';
import { countWrites } from './count-writes.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { type KeyResults, type PerKeyParts, writePerKey } from './write-per-key.js';

/** `touch`: sets the ttl of a stored value; never creates a key, never extends a lock. */
export function touch<K, V>(
  engine: PerKeyParts & Pick<EngineContext, 'options'>,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'touch', view, [key], async (call) => {
    const ttl = toTtlMs(ttlMs, 'touch', key);
    const originals = encodeKeys(view.keyCodec, [key], 'touch');
    assertCallable(engine.lifecycle, 'touch', key, opts);
    throwFirst(await sendTouches(engine, 'touch', originals, ttl));
    if (call !== undefined) call.outcome = 'written';
  });
}

/** `touchMulti`: `touch` for many keys; per-key failures in a `BatchKeyError`. */
export function touchMulti<K, V>(
  engine: PerKeyParts & Pick<EngineContext, 'options'>,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: Duration,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'touchMulti', view, keys, async (call) => {
    const ttl = toTtlMs(ttlMs, 'touchMulti', keys);
    const originals = encodeKeys(view.keyCodec, keys, 'touchMulti');
    if (originals.size === 0) return;
    assertCallable(engine.lifecycle, 'touchMulti', keys, opts);
    const outcome = await sendTouches(engine, 'touchMulti', originals, ttl);
    countWrites(call, outcome);
    throwBatch('touchMulti', outcome, originals);
  });
}

function sendTouches(
  engine: PerKeyParts & Pick<EngineContext, 'options'>,
  op: string,
  originals: ReadonlyMap<string, unknown>,
  ttlMs: Duration,
): Promise<KeyResults> {
  const args = [String(ttlMs), engine.options.lockPrefix];
  return writePerKey(
    engine,
    op,
    'touch',
    [...originals.keys()],
    (group) =>
      engine.driver.evalScripts(
        op,
        group.map((key) => ({ script: touchScript, keys: [key], args })),
      ),
    (key) => originals.get(key),
  );
}
