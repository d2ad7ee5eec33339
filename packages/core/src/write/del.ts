import type { CallOptions } from '../cache.js';
import { encodeKeys } from '../input/encode-keys.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { type KeyResults, type PerKeyParts, writePerKey } from './write-per-key.js';

/** `del`: deletes the key in Redis and in every process's near cache. */
export async function del<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  key: K,
  opts: CallOptions | undefined,
): Promise<void> {
  const originals = encodeKeys(view.keyCodec, [key], 'del');
  assertCallable(engine.lifecycle, 'del', key, opts);
  throwFirst(await sendDels(engine, 'del', originals));
}

/** `delMulti`: `del` for many keys; per-key failures in a `BatchKeyError`. */
export async function delMulti<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  opts: CallOptions | undefined,
): Promise<void> {
  const originals = encodeKeys(view.keyCodec, keys, 'delMulti');
  if (originals.size === 0) return;
  assertCallable(engine.lifecycle, 'delMulti', keys, opts);
  throwBatch('delMulti', await sendDels(engine, 'delMulti', originals), originals);
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
