import { describeKey, RedcacheError } from './errors.js';

/**
 * Some keys of a multi-key write failed. `failed` maps each failed key to its error;
 * `succeeded` lists the keys written. Keys a loader omitted are failed, never silently
 * reverted.
 */
export class BatchKeyError<K> extends RedcacheError {
  readonly failed: ReadonlyMap<K, Error>;
  readonly succeeded: readonly K[];

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

  errorFor(key: K): Error | undefined {
    return this.failed.get(key);
  }

  hasError(key: K): boolean {
    return this.failed.has(key);
  }

  hasFailures(): boolean {
    return this.failed.size > 0;
  }
}
