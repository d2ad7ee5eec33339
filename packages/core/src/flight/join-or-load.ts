import type { EngineContext } from '../engine/engine-context.js';
import { ReentrantLoadError } from '../errors/reentrant-load-error.js';
import { loadKeys } from '../read/load-keys.js';
import type { ReadRequest } from '../read/load-request.js';
import { ownKeyAmong } from './loader-scope.js';
import type { FallbackOffer, Flight, FlightOutcome } from './single-flight.js';

/**
 * The in-process single flight: each key joins the flight already under way for it, or
 * starts one. All keys this call starts go to one `loadKeys` run (one loader call), registered
 * as an operation of the connection: its signal aborts when its last flight is abandoned (no
 * caller left), or on close. A loader that asks for a key it is loading is refused (it would
 * wait for itself) with `ReentrantLoadError`. `offerOf` gives each key's caller its fail-safe
 * (see `Flight.join`).
 */
export function joinOrLoad(
  ctx: EngineContext,
  req: ReadRequest,
  keys: readonly string[],
  callerSignal: AbortSignal | undefined,
  offerOf?: (key: string) => FallbackOffer | undefined,
): Promise<FlightOutcome>[] {
  const own = ownKeyAmong(ctx.flights, keys);
  if (own !== undefined) {
    const refused = Promise.reject(new ReentrantLoadError(req.op, req.originals.get(own)));
    return keys.map(() => refused);
  }
  // Only a call that starts a flight is work of its own; one that only joins waits on others'.
  const operation = startsAny(ctx, keys)
    ? ctx.lifecycle.begin(req.op, keys.length === 1 ? req.originals.get(keys[0]!) : keys)
    : undefined;
  const started = new Map<string, Flight>();
  let live = 0;
  const release = (abandoned: boolean) => {
    live--;
    if (live === 0 && abandoned)
      operation?.abort(new Error('redcache: no caller waits for this load any more'));
  };
  const joined: Promise<FlightOutcome>[] = [];
  for (const key of keys) {
    let flight = ctx.flights.get(key);
    if (flight === undefined) {
      live++;
      flight = ctx.flights.start(key, release);
      started.set(key, flight);
    }
    joined.push(flight.join(callerSignal, offerOf?.(key)));
  }
  // loadKeys never rejects, and ends the operation.
  if (operation !== undefined) void loadKeys(ctx, req, started, operation);
  return joined;
}

/**
 * `joinOrLoad` for one key whose flight is under way (`flight`): the call joins it, with no
 * request built for a load it does not start; or it is refused as `joinOrLoad` would.
 * `original` is the caller's key, for the error.
 */
export function joinFlight(
  ctx: EngineContext,
  op: string,
  original: unknown,
  flight: Flight,
  callerSignal: AbortSignal | undefined,
  offer: FallbackOffer | undefined,
): Promise<FlightOutcome> {
  if (ownKeyAmong(ctx.flights, [flight.key]) !== undefined)
    return Promise.reject(new ReentrantLoadError(op, original));
  return flight.join(callerSignal, offer);
}

/** Whether some of `keys` has no flight yet (a loop, not `some`: no closure per call). */
function startsAny(ctx: EngineContext, keys: readonly string[]): boolean {
  for (const key of keys) if (ctx.flights.get(key) === undefined) return true;
  return false;
}
