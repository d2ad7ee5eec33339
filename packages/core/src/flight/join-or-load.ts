import type { EngineContext } from '../engine/engine-context.js';
import { loadKeys } from '../read/load-keys.js';
import type { LoadRequest } from '../read/load-request.js';
import type { FlightOutcome } from './single-flight.js';

/**
 * The in-process single flight: each key joins the flight already under way for it, or
 * starts one. All keys this call starts go to one `loadKeys` run (one loader call). The
 * run's signal aborts when its last flight is abandoned (no caller left), or on close.
 */
export function joinOrLoad(
  ctx: EngineContext,
  req: LoadRequest,
  keys: readonly string[],
  callerSignal: AbortSignal | undefined,
): Promise<FlightOutcome>[] {
  const started = new Map<string, ReturnType<EngineContext['flights']['start']>>();
  const controller = new AbortController();
  let live = 0;
  const release = (abandoned: boolean) => {
    live--;
    if (live === 0 && abandoned)
      controller.abort(new Error('redcache: no caller waits for this load any more'));
  };
  const joined = keys.map((key) => {
    let flight = ctx.flights.get(key);
    if (flight === undefined) {
      live++;
      flight = ctx.flights.start(key, release);
      started.set(key, flight);
    }
    return flight.join(callerSignal);
  });
  if (started.size > 0) {
    void loadKeys(ctx, req, started, AbortSignal.any([controller.signal, ctx.closeSignal]));
  }
  return joined;
}
