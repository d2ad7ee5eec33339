import type { Codec } from '../codec.js';
import type { ResolvedFailSafe, ResolvedLoaderTimeout } from '../config/resilience-options.js';
import type { AbortSource } from '../lifecycle/abort-source.js';

/** A load through a loader: what reads and writes share. */
export interface LoadRequest {
  readonly op: string;
  /** The calling view's name (`ViewOptions.name`): the `view` of the metrics and events of the load. */
  readonly view?: string | undefined;
  readonly ttlMs: number;
  readonly codec: Codec<unknown>;
  /** The caller's key for each Redis key: for the loader and for error messages. */
  readonly originals: ReadonlyMap<string, unknown>;
  /**
   * Calls the user's loader for these Redis keys; returns values by Redis key. `signal` is
   * the loader's (an operation's is made only if the loader reads it, see `loaderContext`).
   */
  readonly load: (keys: string[], signal: AbortSource) => Promise<Map<string, unknown>>;
}

/** A miss to resolve: the keys' flights are settled by `loadKeys`, with the options of the call that started them. */
export interface ReadRequest extends LoadRequest {
  /** The starting call's fail-safe: it decides on throttles and degraded loads of its flights. */
  readonly failSafe: ResolvedFailSafe | false;
  readonly loaderTimeout: ResolvedLoaderTimeout;
  /** How long what the run stores stays a fallback after it stops being fresh (ms; 0: not at all). */
  readonly staleMs: number;
}
