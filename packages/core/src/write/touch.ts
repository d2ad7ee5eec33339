import type { CallOptions } from '../cache.js';
import type { Engine } from '../engine/engine.js';
import { encodeKeys } from '../input/encode-keys.js';
import { toTtlMs } from '../input/ttl.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { touchScript } from '../wire/scripts/touch.js';
import { assertCallable } from './set.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { type KeyResults, writePerKey } from './write-per-key.js';

/** `touch`: sets the ttl of a stored value; never creates a key, never extends a lock. */
export async function touch<K, V>(
  engine: Engine,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: number,
  opts: CallOptions | undefined,
): Promise<void> {
  const ttl = toTtlMs(ttlMs, 'touch', key);
  const originals = encodeKeys(view.keyCodec, [key], 'touch');
  assertCallable(engine, 'touch', key, opts);
  throwFirst(await sendTouches(engine, 'touch', originals, ttl));
}

/** `touchMulti`: `touch` for many keys; per-key failures in a `BatchKeyError`. */
export async function touchMulti<K, V>(
  engine: Engine,
  view: ViewCodecs<K, V>,
  keys: readonly K[],
  ttlMs: number,
  opts: CallOptions | undefined,
): Promise<void> {
  const ttl = toTtlMs(ttlMs, 'touchMulti', keys);
  const originals = encodeKeys(view.keyCodec, keys, 'touchMulti');
  if (originals.size === 0) return;
  assertCallable(engine, 'touchMulti', keys, opts);
  throwBatch('touchMulti', await sendTouches(engine, 'touchMulti', originals, ttl), originals);
}

function sendTouches(
  engine: Engine,
  op: string,
  originals: ReadonlyMap<string, unknown>,
  ttlMs: number,
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
