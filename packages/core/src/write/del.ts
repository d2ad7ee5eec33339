import type { CallOptions } from '../cache.js';
import { maybeObserved } from '../diagnostics/observe-call.js';
import { encodeKeys } from '../input/encode-keys.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { countWrites } from './count-writes.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { type KeyResults, type PerKeyParts, writePerKey } from './write-per-key.js';

/** `del`: deletes the key in Redis and in every process's near cache. */
export function del<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  key: K,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'del', view, [key], async (call) => {
    const originals = encodeKeys(view.keyCodec, [key], 'del');
    assertCallable(engine.lifecycle, 'del', key, opts);
    throwFirst(await sendDels(engine, 'del', originals));
    if (call !== undefined) call.outcome = 'written';
  });
}

/** `delMulti`: `del` for many keys; per-key failures in a `BatchKeyError`. */
export function delMulti<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'delMulti', view, keys, async (call) => {
    const originals = encodeKeys(view.keyCodec, keys, 'delMulti');
    if (originals.size === 0) return;
    assertCallable(engine.lifecycle, 'delMulti', keys, opts);
    const outcome = await sendDels(engine, 'delMulti', originals);
    countWrites(call, outcome);
    throwBatch('delMulti', outcome, originals);
  });
}

function sendDels(
  engine: PerKeyParts,
  op: string,
  originals: ReadonlyMap<string, unknown>,
): Promise<KeyResults> {
  return writePerKey(
    engine,
    op,
    'del',
    [...originals.keys()],
    (group) =>
      engine.driver.send(
        op,
        group.map((key) => ({ key, args: ['DEL', key] })),
      ),
    (key) => originals.get(key),
  );
}
