import { BatchKeyError, MissingLoaderResultError } from '@redcache/core';
import type { Encoded, FakeStore } from './fake-store.js';

/** A multi-key write, encoded: what can be stored, by identity, and each key that failed. */
export interface EncodedBatch<K> {
  readonly encoded: Map<unknown, Encoded>;
  readonly failed: Map<K, Error>;
}

/**
 * Encodes the value of each key asked for. Keys without a value fail with one
 * `MissingLoaderResultError` naming all of them; values the codec refuses, with `EncodeError`.
 */
export function encodeBatch<K, V>(
  store: FakeStore<K, V>,
  op: string,
  asked: ReadonlyMap<unknown, K>,
  values: ReadonlyMap<unknown, V>,
): EncodedBatch<K> {
  const omitted = [...asked].filter(([id]) => !values.has(id)).map(([, key]) => key);
  const missing = new MissingLoaderResultError(op, omitted);
  const encoded = new Map<unknown, Encoded>();
  const failed = new Map<K, Error>();
  for (const [id, key] of asked) {
    if (!values.has(id)) {
      failed.set(key, missing);
      continue;
    }
    try {
      encoded.set(id, store.encode(op, key, values.get(id)!));
    } catch (error) {
      failed.set(key, error as Error);
    }
  }
  return { encoded, failed };
}

/** Stores what was encoded; then a `BatchKeyError` (failed and succeeded keys) if any key failed. */
export function writeBatch<K, V>(
  store: FakeStore<K, V>,
  op: string,
  asked: ReadonlyMap<unknown, K>,
  batch: EncodedBatch<K>,
  ttlMs: number,
): void {
  for (const [id, value] of batch.encoded) store.put(id, asked.get(id)!, value, ttlMs);
  if (batch.failed.size > 0) {
    throw new BatchKeyError(
      op,
      batch.failed,
      [...batch.encoded.keys()].map((id) => asked.get(id)!),
    );
  }
}
