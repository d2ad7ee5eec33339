import type { LoadOutcome } from '../diagnostics/load-event.js';
import { traceLoad } from '../diagnostics/trace-load.js';
import { loadChannel } from '../diagnostics/tracing-channels.js';
import type { EngineContext } from '../engine/engine-context.js';
import { LoaderTimeoutError } from '../errors/resilience-errors.js';
import { enterAsLoaderOf, loaderSettled } from '../flight/loader-scope.js';
import type { FallbackCause, Flight } from '../flight/single-flight.js';
import type { AbortSource } from '../lifecycle/abort-source.js';
import { type LoaderClock, type LoaderClockHooks, startLoaderClock } from '../lifecycle/loader-clock.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import type { ReadRequest } from './load-request.js';

/** A loader's answer and how long it took. */
export interface Loaded {
  readonly values: Map<string, unknown>;
  readonly elapsedMs: number;
}

/** What running a read's loader needs. */
export type RunLoaderParts = Pick<EngineContext, 'flights' | 'metrics'>;

/**
 * Calls the read's loader once for `keys`, under its loader timeouts: at the soft timeout each
 * flight's callers with a fallback take it (the loader goes on); at the hard timeout the
 * loader's signal aborts with `LoaderTimeoutError`. Returns its answer, or undefined once it
 * failed: then `beforeRejecting` runs (releasing locks, so a caller who retries finds the keys
 * free) and every flight is rejected with the error — cause `'timeout'` or `'loader'`, so
 * callers with a fallback take it; none when `signal` aborted (no caller left, or close).
 * The run is published on `redcache:load` when that channel has a subscriber. What follows is
 * chained on the run itself (no promise of its own between them): `next` gets the answer (or
 * undefined), `fail` an error the run threw itself (its metrics, or `beforeRejecting`).
 */
export function runLoader<T>(
  ctx: RunLoaderParts,
  req: ReadRequest,
  keys: readonly string[],
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
  beforeRejecting: () => Promise<void>,
  next: (loaded: Loaded | undefined) => T | PromiseLike<T>,
  fail: (error: unknown) => T | PromiseLike<T>,
): Promise<T> {
  const timeouts = req.loaderTimeout;
  // Without timeouts the clock is the signal itself: no hooks are made for it.
  const clock = startLoaderClock(
    signal,
    timeouts,
    timeouts.softMs === undefined && timeouts.hardMs === undefined
      ? NO_HOOKS
      : clockHooks(ctx, req, keys, flights),
  );
  const started = performance.now();
  // Not an async function: no frame stays suspended while the loader runs.
  let loading: Promise<Map<string, unknown>>;
  try {
    loading = loadChannel.hasSubscribers
      ? traceLoad(
          req.op,
          req.view,
          keys,
          () => callLoader(ctx, req, keys, clock),
          () => failureOf(signal, clock),
        )
      : callLoader(ctx, req, keys, clock);
  } catch (error) {
    loading = Promise.reject(error);
  }
  return loading.then(
    (values) => {
      let loaded: Loaded;
      try {
        clock.end();
        const elapsedMs = performance.now() - started;
        ctx.metrics.loaderDuration(elapsedMs, req.view);
        loaded = { values, elapsedMs };
      } catch (error) {
        return fail(error);
      }
      return next(loaded);
    },
    (error: unknown) =>
      failRun(ctx, req, keys, flights, signal, beforeRejecting, clock, started, error).then(next, fail),
  );
}

/** A run whose loader failed with `error`: `beforeRejecting`, then every flight rejected (see `runLoader`). */
async function failRun(
  ctx: RunLoaderParts,
  req: ReadRequest,
  keys: readonly string[],
  flights: ReadonlyMap<string, Flight>,
  signal: AbortSource,
  beforeRejecting: () => Promise<void>,
  clock: LoaderClock,
  started: number,
  error: unknown,
): Promise<undefined> {
  try {
    ctx.metrics.loaderDuration(performance.now() - started, req.view);
    if (!clock.watch.aborted) ctx.metrics.loaderErrors(keys.length, req.view);
    await beforeRejecting();
    const failure = failureOf(signal, clock);
    const cause: FallbackCause | undefined =
      failure === 'aborted' ? undefined : failure === 'timeout' ? 'timeout' : 'loader';
    for (const key of keys) flights.get(key)!.reject(error, cause);
    return undefined;
  } finally {
    clock.end();
  }
}

/** A clock without timeouts calls no hook. */
const NO_HOOKS: LoaderClockHooks = {
  onSoft: () => {},
  hardError: (ms) => new Error(`redcache: no hard timeout was set (${ms} ms)`),
};

/** At the soft timeout, each flight's callers with a fallback take it; at the hard one, the loader's error. */
function clockHooks(
  ctx: RunLoaderParts,
  req: ReadRequest,
  keys: readonly string[],
  flights: ReadonlyMap<string, Flight>,
): LoaderClockHooks {
  return {
    onSoft: () => {
      ctx.metrics.loaderTimedOut('soft', req.view);
      for (const key of keys) flights.get(key)!.softTimeout();
    },
    hardError: (ms) => {
      ctx.metrics.loaderTimedOut('hard', req.view);
      const originals = keys.map((key) => req.originals.get(key));
      return new LoaderTimeoutError(req.op, originals.length === 1 ? originals[0] : originals, ms);
    },
  };
}

/** The read's loader for `keys`, as the loader of their flights, until its clock's signal aborts. */
function callLoader(
  ctx: RunLoaderParts,
  req: ReadRequest,
  keys: readonly string[],
  clock: LoaderClock,
): Promise<Map<string, unknown>> {
  // The race watches the loader settle: the loader's scope ends there (no reaction of its own).
  return untilAborted(
    enterAsLoaderOf(ctx.flights, keys, () => req.load([...keys], clock.watch)),
    clock.watch,
    undefined,
    undefined,
    loaderSettled,
  );
}

/** Why a run failed: its callers all left (or close), its hard timeout, or the loader's error. */
function failureOf(signal: AbortSource, clock: LoaderClock): Exclude<LoadOutcome, 'loaded'> {
  return signal.aborted ? 'aborted' : clock.timedOut ? 'timeout' : 'error';
}
