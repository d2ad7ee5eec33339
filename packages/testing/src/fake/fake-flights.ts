import { untilAborted } from '@redcache/core/internal';

/** How one key of a load ended. */
export type LoadOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** Loads the keys of a new flight: one outcome per key. Rejecting fails them all. */
export type LoadKeys = (ids: readonly string[], signal: AbortSignal) => Promise<Map<string, LoadOutcome>>;

class Flight {
  readonly promise: Promise<unknown>;
  /** Runs when the last caller leaves before the flight settles. */
  readonly onAbandon: () => void;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;
  waiting = 0;
  settled = false;

  constructor(onAbandon: () => void) {
    this.onAbandon = onAbandon;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => {});
  }
}

/**
 * The fake's single flight: at most one load per key at a time. A caller of a key in
 * flight joins it and shares its outcome; the keys of a call not in flight start one load
 * together. A caller's signal ends only its own wait; once no caller waits for any key of
 * a load, the load's signal aborts and its keys are forgotten (the next caller starts anew).
 */
export class FakeFlights {
  readonly #flights = new Map<string, Flight>();

  run(ids: readonly string[], signal: AbortSignal | undefined, load: LoadKeys): Promise<unknown>[] {
    const started = new Map<string, Flight>();
    const controller = new AbortController();
    let live = 0;
    const abandon = () => {
      if (--live === 0) controller.abort(new Error('redcache fake: no caller waits for this load any more'));
    };
    const joined = ids.map((id) => {
      let flight = this.#flights.get(id);
      if (flight === undefined) {
        flight = new Flight(abandon);
        this.#flights.set(id, flight);
        started.set(id, flight);
        live++;
      }
      return this.#join(flight, id, signal);
    });
    if (started.size > 0) void this.#load(started, controller.signal, load);
    return joined;
  }

  /** The load of `id` in flight goes on whatever its callers do (a caller took a fallback at its soft timeout). */
  pin(id: string): void {
    const flight = this.#flights.get(id);
    if (flight !== undefined) flight.waiting = Number.POSITIVE_INFINITY;
  }

  async #load(started: Map<string, Flight>, signal: AbortSignal, load: LoadKeys): Promise<void> {
    let outcomes: Map<string, LoadOutcome>;
    try {
      outcomes = await load([...started.keys()], signal);
    } catch (error) {
      outcomes = new Map([...started.keys()].map((id) => [id, { ok: false, error }]));
    }
    for (const [id, flight] of started) {
      if (this.#flights.get(id) === flight) this.#flights.delete(id);
      flight.settled = true;
      const outcome = outcomes.get(id) ?? { ok: false, error: new Error('redcache fake: no outcome') };
      if (outcome.ok) flight.resolve(outcome.value);
      else flight.reject(outcome.error);
    }
  }

  #join(flight: Flight, id: string, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal === undefined) {
      flight.waiting = Number.POSITIVE_INFINITY;
      return flight.promise;
    }
    flight.waiting++;
    return untilAborted(flight.promise, signal, () => {
      if (--flight.waiting > 0 || flight.settled) return;
      if (this.#flights.get(id) === flight) this.#flights.delete(id);
      flight.onAbandon();
    });
  }
}
