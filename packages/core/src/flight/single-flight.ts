import type { Codec } from '../codec.js';
import { untilAborted } from '../lifecycle/until-aborted.js';

/** What a flight hands every caller that joined it. */
export interface FlightOutcome {
  /** The decoded value (deep-frozen), for callers using `codec`. */
  readonly value: unknown;
  readonly codec: Codec<unknown>;
  /** The encoded payload, for a caller whose view decodes with another codec. */
  readonly payload: Uint8Array | string;
  /** True when the value was already in Redis; false when it was loaded or waited for. */
  readonly hit: boolean;
}

/**
 * One miss of one key in flight in this process. Callers join it and share its outcome,
 * value or error. A caller's signal ends only that caller's wait; when the last caller
 * leaves, the flight is abandoned and forgotten, so the next caller starts afresh.
 * `onRelease(abandoned)` runs once, when the flight settles or is abandoned.
 */
export class Flight {
  readonly key: string;
  readonly #registry: FlightRegistry;
  readonly #onRelease: (abandoned: boolean) => void;
  readonly #promise: Promise<FlightOutcome>;
  #resolve!: (outcome: FlightOutcome) => void;
  #reject!: (error: unknown) => void;
  #waiting = 0;
  #settled = false;
  #released = false;

  constructor(key: string, registry: FlightRegistry, onRelease: (abandoned: boolean) => void) {
    this.key = key;
    this.#registry = registry;
    this.#onRelease = onRelease;
    this.#promise = new Promise<FlightOutcome>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#promise.catch(() => {});
  }

  get settled(): boolean {
    return this.#settled;
  }

  join(signal: AbortSignal | undefined): Promise<FlightOutcome> {
    if (signal === undefined) {
      this.#pin();
      return this.#promise;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    this.#waiting++;
    return untilAborted(this.#promise, signal, () => this.#leave());
  }

  /** A caller without a signal can never leave: the flight is never abandoned under it. */
  #pin(): void {
    this.#waiting = Number.POSITIVE_INFINITY;
  }

  resolve(outcome: FlightOutcome): void {
    if (this.#settle()) this.#resolve(outcome);
  }

  reject(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#release(false);
    return true;
  }

  #leave(): void {
    this.#waiting--;
    if (this.#waiting > 0 || this.#settled) return;
    this.#release(true);
  }

  #release(abandoned: boolean): void {
    this.#registry.forget(this);
    if (this.#released) return;
    this.#released = true;
    this.#onRelease(abandoned);
  }
}

export class FlightRegistry {
  readonly #flights = new Map<string, Flight>();

  get(key: string): Flight | undefined {
    return this.#flights.get(key);
  }

  start(key: string, onRelease: (abandoned: boolean) => void): Flight {
    const flight = new Flight(key, this, onRelease);
    this.#flights.set(key, flight);
    return flight;
  }

  forget(flight: Flight): void {
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
  }

  /** Rejects every flight (on close). */
  rejectAll(error: unknown): void {
    for (const flight of [...this.#flights.values()]) flight.reject(error);
  }
}
