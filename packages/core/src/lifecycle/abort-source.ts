import type { LoaderContext } from '../cache.js';

/**
 * What work in flight watches to stop: an `AbortSignal` (a caller's), or an `AbortWatch` — the
 * engine's own, an `Operation`, which makes an `AbortSignal` only when one is asked for (a
 * loader's): an `AbortSignal` and its listeners cost microseconds each on Node 20, a watch's
 * listeners a set entry.
 */
export interface AbortWatch {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Throws the reason once aborted. */
  throwIfAborted(): void;
  /** Runs `callback` once on abort, unless the returned function is called first. */
  onAbort(callback: () => void): () => void;
  /** The same abort as an `AbortSignal`, for user code (made on first use). */
  readonly signal: AbortSignal;
}

export type AbortSource = AbortSignal | AbortWatch;

/** `source` as an `AbortSignal` (a watch's is made on first use). */
export function signalOf(source: AbortSource): AbortSignal {
  return source instanceof AbortSignal ? source : source.signal;
}

/** What a loader's context hands its `setTtl` and `skipStore` calls to (see `LoaderRun`). */
export type LoaderChooser<K> = Pick<LoaderContext<K>, 'setTtl' | 'skipStore'>;

/**
 * A loader's context: its `signal` made on first use (most loaders never read it), and the
 * run's `setTtl` and `skipStore`. Own properties (the signal an own getter), so that a loader
 * spreading its context (`{ ...ctx }`) or destructuring it still has all three.
 */
export function loaderContext<K>(source: AbortSource, run: LoaderChooser<K>): LoaderContext<K> {
  const { setTtl, skipStore } = run;
  if (source instanceof AbortSignal) return { signal: source, setTtl, skipStore };
  return {
    get signal() {
      return source.signal;
    },
    setTtl,
    skipStore,
  };
}
