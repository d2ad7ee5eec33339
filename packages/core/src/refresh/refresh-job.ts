import type { Codec } from '../codec.js';
import type { AbortSource } from '../lifecycle/abort-source.js';

/** Background refresh of keys found stale on a hit. */
export interface RefreshJob {
  /** The operation whose hit found the keys stale (`'get'`, `'getMulti'`) and its view's name. */
  readonly op: string;
  readonly view: string | undefined;
  readonly ttlMs: number;
  readonly codec: Codec<unknown>;
  /** The caller's key for each Redis key. */
  readonly originals: ReadonlyMap<string, unknown>;
  /** The raw value seen when each key was found stale: written back only over exactly that. */
  readonly expected: ReadonlyMap<string, Uint8Array>;
  /** Calls the user's loader. May throw synchronously: that is a panic, not an error. */
  readonly load: (keys: string[], signal: AbortSource) => Promise<Map<string, unknown>>;
}
