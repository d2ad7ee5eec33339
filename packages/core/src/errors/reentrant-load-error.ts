import { describeKey, RedcacheError } from './errors.js';

/**
 * A loader (or a write's loader) asked the cache, on the same connection, for a key it is
 * loading: it would wait for itself forever. Load the value directly instead.
 */
export class ReentrantLoadError extends RedcacheError {
  /**
   * @param op - the call the loader made (`get`, `getMulti`, …).
   * @param key - the key it asked for, which it is loading itself.
   */
  constructor(op: string, key: unknown) {
    super(
      'E_REENTRANT',
      `redcache: ${op}: key ${describeKey(key)} is being loaded by the loader that asks for it: a loader that waits on its own key through the cache would wait for itself forever; load the value directly`,
      { op, key },
    );
    this.name = 'ReentrantLoadError';
  }
}
