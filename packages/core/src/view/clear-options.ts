/** What `clear` has done so far, after each batch. */
export interface ClearProgress {
  /** Keys removed so far. */
  readonly removed: number;
}

/** Options of `Cache.clear`. */
export interface ClearOptions {
  /** Stops the clear between batches; `clear` rejects with its reason (keys removed so far stay removed). */
  signal?: AbortSignal;
  /** Called after each batch of keys is removed. */
  onProgress?: (progress: ClearProgress) => void;
}
