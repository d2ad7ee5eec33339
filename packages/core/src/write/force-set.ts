import type { CallOptions } from '../cache.js';
import { maybeObserved } from '../diagnostics/observe-call.js';
import type { Duration } from '../input/duration.js';
import { encodeKey } from '../input/encode-key.js';
import { encodeMapKeys } from '../input/encode-keys.js';
import { toTtlMs } from '../input/ttl.js';
import { assertCallable } from '../lifecycle/assert-callable.js';
import { encodeValue } from '../value/encode-value.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import { wrapEnvelope } from '../wire/envelope.js';
import { countWrites } from './count-writes.js';
import { throwBatch, throwFirst } from './throw-batch.js';
import { type KeyResults, type PerKeyParts, writePerKey } from './write-per-key.js';

/** `forceSet`: writes `value` unconditionally, over any lock. */
export function forceSet<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  key: K,
  ttlMs: Duration,
  value: V,
  opts: CallOptions | undefined,
): Promise<void> {
  return maybeObserved(engine.metrics, 'forceSet', view, [key], async (call) => {
    const ttl = toTtlMs(ttlMs, 'forceSet', key);
    const redisKey = encodeKey(view.keyCodec, key, 'forceSet');
    const payload = encodeValue(view.codec, 'forceSet', key, value);
    assertCallable(engine.lifecycle, 'forceSet', key, opts);
    throwFirst(
      await sendSets(engine, 'forceSet', new Map([[redisKey, payload]]), ttl, new Map([[redisKey, key]])),
    );
    if (call !== undefined) call.outcome = 'written';
  });
}

/** `forceSetMulti`: `forceSet` for many keys; a value that cannot be encoded fails alone. */
export function forceSetMulti<K, V>(
  engine: PerKeyParts,
  view: ViewCodecs<K, V>,
  values: ReadonlyMap<K, V>,
  ttlMs: Duration,
  opts: CallOptions | undefined,
): Promise<void> {
  const keys = values instanceof Map ? values.keys() : [];
  return maybeObserved(engine.metrics, 'forceSetMulti', view, keys, async (call) => {
    const originals = encodeMapKeys(view.keyCodec, values, 'forceSetMulti');
    const ttl = toTtlMs(ttlMs, 'forceSetMulti', [...originals.values()]);
    if (originals.size === 0) return;
    const payloads = new Map<string, string | Uint8Array>();
    const failed = new Map<string, Error>();
    for (const [redisKey, key] of originals) {
      try {
        payloads.set(redisKey, encodeValue(view.codec, 'forceSetMulti', key, values.get(key) as V));
      } catch (error) {
        failed.set(redisKey, error as Error);
      }
    }
    let outcome: KeyResults = { succeeded: [], failed };
    if (payloads.size > 0) {
      assertCallable(engine.lifecycle, 'forceSetMulti', [...values.keys()], opts);
      const written = await sendSets(engine, 'forceSetMulti', payloads, ttl, originals);
      outcome = { succeeded: written.succeeded, failed: new Map([...failed, ...written.failed]) };
    }
    countWrites(call, outcome);
    throwBatch('forceSetMulti', outcome, originals);
  });
}

function sendSets(
  engine: PerKeyParts,
  op: string,
  payloads: ReadonlyMap<string, string | Uint8Array>,
  ttlMs: Duration,
  originals: ReadonlyMap<string, unknown>,
): Promise<KeyResults> {
  const px = String(ttlMs);
  return writePerKey(
    engine,
    op,
    'set',
    [...payloads.keys()],
    (group) =>
      engine.driver.send(
        op,
        group.map((key) => ({ key, args: ['SET', key, wrapEnvelope(payloads.get(key)!, 0), 'PX', px] })),
      ),
    (key) => originals.get(key),
  );
}
