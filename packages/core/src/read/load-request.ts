import type { Codec } from '../codec.js';

/** A miss to resolve: the keys' flights are settled by `loadKeys`. */
export interface LoadRequest {
  readonly op: string;
  readonly ttlMs: number;
  readonly codec: Codec<unknown>;
  /** The caller's key for each Redis key: for the loader and for error messages. */
  readonly originals: ReadonlyMap<string, unknown>;
  /** Calls the user's loader for these Redis keys; returns values by Redis key. */
  readonly load: (keys: string[], signal: AbortSignal) => Promise<Map<string, unknown>>;
}
