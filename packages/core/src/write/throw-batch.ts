import { BatchKeyError } from '../errors/batch-key-error.js';
import type { KeyResults } from './write-per-key.js';

/** Throws a `BatchKeyError` (by the caller's keys) when any key of a multi-key write failed. */
export function throwBatch<K>(op: string, outcome: KeyResults, originals: ReadonlyMap<string, K>): void {
  if (outcome.failed.size === 0) return;
  const failed = new Map<K, Error>();
  for (const [key, error] of outcome.failed) failed.set(originals.get(key)!, error);
  throw new BatchKeyError(
    op,
    failed,
    outcome.succeeded.map((key) => originals.get(key)!),
  );
}

/** Throws the error of a single-key write, if it failed. */
export function throwFirst(outcome: KeyResults): void {
  const [error] = outcome.failed.values();
  if (error !== undefined) throw error;
}
