import type { Codec } from '../codec.js';
import type { AbortSource } from '../lifecycle/abort-source.js';

/** Background refresh of keys found stale on a hit. */
export interface RefreshJob {
  readonly ttlMs: number;
  readonly codec: Codec<unknown>;
  /** The caller's key for each Redis key. */
  readonly originals: ReadonlyMap<string, unknown>;
  /** The raw value seen when each key was found stale: written back only over exactly that. */
  readonly expected: ReadonlyMap<string, Uint8Array>;
  /** Calls the user's loader. May throw synchronously: that is a panic, not an error. */
  readonly load: (keys: string[], signal: AbortSource) => Promise<Map<string, unknown>>;
}
