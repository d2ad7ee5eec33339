import { describeKey, RedcacheError } from './errors.js';

/**
 * Some keys of a multi-key write failed. `failed` maps each failed key to its error;
 * `succeeded` lists the keys written. Keys a loader omitted are failed, never silently
 * reverted.
 */
export class BatchKeyError<K> extends RedcacheError {
  /** Each failed key (as the caller gave it) and its error. */
  readonly failed: ReadonlyMap<K, Error>;
  /** The keys that were written. */
  readonly succeeded: readonly K[];

  /**
   * @param op - the multi-key write (`setMulti`, `forceSetMulti`, …).
   * @param failed - each failed key and its error.
   * @param succeeded - the keys that were written.
   */
  constructor(op: string, failed: ReadonlyMap<K, Error>, succeeded: readonly K[]) {
    const details = [...failed]
      .map(([key, error]) => [describeKey(key), error.message] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, message]) => `; key ${key}: ${message}`)
      .join('');
    super(
      'E_BATCH',
      `redcache: ${op}: batch partially failed: ${succeeded.length} succeeded, ${failed.size} failed${details}`,
      { op, key: [...failed.keys()] },
    );
    this.name = 'BatchKeyError';
    this.failed = failed;
    this.succeeded = succeeded;
  }

  /**
   * @param key - a key of the call, as the caller gave it.
   * @returns the error of `key`, or `undefined` if it did not fail.
   */
  errorFor(key: K): Error | undefined {
    return this.failed.get(key);
  }

  /**
   * @param key - a key of the call, as the caller gave it.
   * @returns whether `key` failed.
   */
  hasError(key: K): boolean {
    return this.failed.has(key);
  }

  /** @returns whether any key failed. */
  hasFailures(): boolean {
    return this.failed.size > 0;
  }
}
