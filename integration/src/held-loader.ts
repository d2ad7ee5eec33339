/**
 * A loader the test holds open: `started` resolves once the engine calls it (the caller then
 * holds the key's lock), and each call returns `produce(arg)` only once the test calls
 * `finish()` (at once if it was called before). It replaces a loader that sleeps N ms and a
 * sleep in the test that hopes to act while that load runs: the test acts while the load is
 * in flight, then ends it, however slow the machine is.
 */
export interface HeldLoader<A, V> {
  /** Pass it as the loader of `get`, `getMulti`, `set`, `setMulti` or a refresh. */
  readonly load: (arg: A, ctx?: { readonly signal: AbortSignal }) => Promise<V>;
  /** Resolves at the first call. */
  readonly started: Promise<void>;
  /** Calls so far. */
  readonly calls: number;
  /** The signal of each call, in order. */
  readonly signals: readonly AbortSignal[];
  /** Whether `finish()` was called: a call that returned did so after it. */
  readonly finished: boolean;
  /** Lets every call, pending or later, return. */
  finish(): void;
}

export function heldLoader<A, V>(produce: (arg: A) => V): HeldLoader<A, V> {
  let start!: () => void;
  let open!: () => void;
  const started = new Promise<void>((resolve) => {
    start = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const signals: AbortSignal[] = [];
  let calls = 0;
  let finished = false;
  return {
    load: async (arg, ctx) => {
      calls++;
      if (ctx !== undefined) signals.push(ctx.signal);
      start();
      await opened;
      return produce(arg);
    },
    started,
    get calls() {
      return calls;
    },
    signals,
    get finished() {
      return finished;
    },
    finish: () => {
      finished = true;
      open();
    },
  };
}
