import type { Codec } from './codec.js';

/** A write through a loader (`set`, `setMulti`), settled by `writeKeys`. */
export interface WriteRequest {
  readonly op: string;
  readonly ttlMs: number;
  readonly codec: Codec<unknown>;
  /** The caller's key for each Redis key. */
  readonly originals: ReadonlyMap<string, unknown>;
  /** Calls the user's loader for these Redis keys; returns values by Redis key. */
  readonly load: (keys: string[], signal: AbortSignal) => Promise<Map<string, unknown>>;
  readonly signal: AbortSignal | undefined;
}

/** Per-key outcome of a write whose loader ran. */
export interface WriteOutcome {
  readonly succeeded: string[];
  readonly failed: Map<string, Error>;
}
