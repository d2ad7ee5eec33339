import type { LoadRequest } from '../read/load-request.js';

/** A write through a loader (`set`, `setMulti`), settled by `writeKeys`. */
export interface WriteRequest extends LoadRequest {
  /** The caller's signal: aborts the wait for locks and the loader. */
  readonly signal: AbortSignal | undefined;
}

/** Per-key outcome of a write whose loader ran. */
export interface WriteOutcome {
  readonly succeeded: string[];
  readonly failed: Map<string, Error>;
}
