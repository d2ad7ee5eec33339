import { type AbortSource, signalOf } from './abort-source.js';
import { whenAborted } from './on-abort.js';

/** A loader's timeouts (ms), either or both. */
export interface LoaderTimeouts {
  readonly softMs?: number | undefined;
  readonly hardMs?: number | undefined;
}

/** What the clock does at each timeout. */
export interface LoaderClockHooks {
  /** At `softMs` (before `hardMs`). */
  readonly onSoft: () => void;
  /** At `hardMs`: the reason the loader's signal aborts with. */
  readonly hardError: (hardMs: number) => Error;
}

/** The signal a loader runs under, and the end of its clock. */
export interface LoaderClock {
  /** Aborts when `parent` does (with its reason), or at the hard timeout: the loader's. */
  readonly signal: AbortSignal;
  /** The same abort, for the engine to watch: without timeouts, `parent` itself (no signal made for it). */
  readonly watch: AbortSource;
  /** True once the hard timeout fired. */
  readonly timedOut: boolean;
  /** Stops the clock: clears its timer and its listener on `parent`. Idempotent. */
  end(): void;
}

/** No timeouts: the parent itself (a class, not a literal with a getter: V8 builds those slowly). */
class ParentClock implements LoaderClock {
  readonly watch: AbortSource;
  readonly timedOut = false;

  constructor(parent: AbortSource) {
    this.watch = parent;
  }

  get signal(): AbortSignal {
    return signalOf(this.watch);
  }

  end(): void {}
}

const NO_CLOCK = (parent: AbortSource): LoaderClock => new ParentClock(parent);

/**
 * Times one loader call: `onSoft` at `softMs`, and at `hardMs` its signal aborts with
 * `hardError`. One timer at a time (the soft one, then the hard one), unref'd, and cleared
 * by `end()` on every path; the parent signal gets one listener (through `onAbort`), removed
 * by `end()` — nothing is combined with `AbortSignal.any`. Without timeouts it is the parent
 * itself, at no cost (an operation's signal is made only if the loader asks for it).
 */
export function startLoaderClock(
  parent: AbortSource,
  timeouts: LoaderTimeouts,
  hooks: LoaderClockHooks,
): LoaderClock {
  const { softMs, hardMs } = timeouts;
  if (softMs === undefined && hardMs === undefined) return NO_CLOCK(parent);
  if (parent.aborted) return NO_CLOCK(parent);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let timedOut = false;
  const stopForwarding = whenAborted(parent, () => controller.abort(parent.reason));
  const arm = (ms: number, run: () => void) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const hard = () => {
    timer = undefined;
    timedOut = true;
    controller.abort(hooks.hardError(hardMs!));
  };
  if (softMs !== undefined) {
    arm(softMs, () => {
      timer = undefined;
      if (ended) return;
      if (hardMs !== undefined) arm(hardMs - softMs, hard);
      hooks.onSoft();
    });
  } else {
    arm(hardMs!, hard);
  }
  return {
    signal: controller.signal,
    watch: controller.signal,
    get timedOut() {
      return timedOut;
    },
    end() {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      timer = undefined;
      stopForwarding();
    },
  };
}
