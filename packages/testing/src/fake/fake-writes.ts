import { choicesOf, failedErrors, storeTtlOf, untilAborted } from '@redcache/core/internal';
import type { Load } from './fake-loads.js';
import type { FakeLog } from './fake-log.js';
import type { FakeStore } from './fake-store.js';

/** How the keys of a write ended, by Redis key (as core's `throwBatch` takes them). */
export interface WriteOutcome {
  readonly succeeded: string[];
  readonly failed: Map<string, Error>;
}

/**
 * The loader of a `set`/`setMulti`, until the caller's signal aborts; stores each value that
 * encodes, with the ttl its loader chose (`setTtl`), or removes the key when it chose
 * `skipStore` (as core leaves it empty).
 */
export async function writeThrough<K, V>(
  store: FakeStore<K, V>,
  log: FakeLog<K>,
  op: 'set' | 'setMulti',
  originals: ReadonlyMap<string, K>,
  ttl: number,
  load: Load,
  callerSignal: AbortSignal | undefined,
): Promise<WriteOutcome> {
  const ids = [...originals.keys()];
  log.load(op, [...originals.values()]);
  const signal = callerSignal ?? new AbortController().signal;
  const values = await untilAborted(
    Promise.resolve().then(() => load(ids, signal)),
    callerSignal,
  );
  const { encoded, failed } = store.encodeAll(ids, values);
  const choices = choicesOf(values);
  for (const [id, value] of encoded) {
    const chosen = storeTtlOf(choices, id, ttl);
    if (chosen === undefined) store.delete(id);
    else store.put(id, originals.get(id)!, value, chosen);
  }
  return { succeeded: [...encoded.keys()], failed: failedErrors(op, failed, (id) => originals.get(id)) };
}
