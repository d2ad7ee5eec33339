/** What `clear` has done so far, after each batch. */
export interface ClearProgress {
  /** Keys removed so far, on every node together (what `UNLINK` counted). */
  readonly removed: number;
}

/** Options of `Cache.clear`. */
export interface ClearOptions {
  /**
   * Stops the clear between batches (a batch in flight completes); `clear` rejects with its
   * reason, and the keys removed so far stay removed.
   */
  signal?: AbortSignal;
  /**
   * Called after each batch of keys is removed (a batch is one `SCAN` step on one node, about
   * 1 000 keys of its keyspace visited; a step that found no key under the prefix is not
   * reported). What it throws stops the clear between batches, and `clear` rejects with it.
   *
   * @param progress - the keys removed so far.
   */
  onProgress?: (progress: ClearProgress) => void;
}
