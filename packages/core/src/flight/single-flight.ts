import type { Codec } from '../codec.js';
import { untilAborted } from '../lifecycle/until-aborted.js';

/** What a flight hands every caller that joined it. */
export interface FlightOutcome {
  /** The decoded value (deep-frozen), for callers using `codec`. */
  readonly value: unknown;
  readonly codec: Codec<unknown>;
  /** The encoded payload, for a caller whose view decodes with another codec. */
  readonly payload: Uint8Array | string;
  /** Where the value came from (see {@link FlightSource}). */
  readonly source: FlightSource;
  /** Set when this is a fail-safe fallback (not fresh), served because of this. */
  readonly fallback?: FallbackCause;
}

/**
 * Where a flight's value came from: `'redis'`, already stored there; `'loaded'`, this process ran
 * the loader and stored it; `'waited'`, another process held the key's lock and this one read its
 * value once it landed; `'degraded'`, loaded here without storing because Redis was down;
 * `'fallback'`, a fail-safe fallback (an earlier value, not fresh; `fallback` says why).
 */
export type FlightSource = 'redis' | 'loaded' | 'waited' | 'degraded' | 'fallback';

/** Why a fail-safe fallback was served: the loader failed, it timed out, or Redis was down. */
export type FallbackCause = 'loader' | 'timeout' | 'redis';

/**
 * A caller's fail-safe: asked, when its flight fails (with the failure's cause) or its loader
 * passes the soft timeout (`'soft'`), for a fallback outcome to take instead; undefined for none.
 */
export type FallbackOffer = (cause: FallbackCause | 'soft', error?: unknown) => FlightOutcome | undefined;

/** A flight's own rejection is its callers' to handle: one function for every flight. */
const ignore = (): void => {};

/** A caller's soft-timeout hook: takes its fallback, if any; true when it did. */
type SoftHook = () => boolean;

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
  #cause: FallbackCause | undefined;
  /** The loader passed its soft timeout: callers with a fallback take it as they join. */
  #softPassed = false;
  /** Callers with a fail-safe, still waiting: asked at the soft timeout (made for the first such caller). */
  #soft: Set<SoftHook> | undefined;

  constructor(key: string, registry: FlightRegistry, onRelease: (abandoned: boolean) => void) {
    this.key = key;
    this.#registry = registry;
    this.#onRelease = onRelease;
    this.#promise = new Promise<FlightOutcome>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  /**
   * The flight's outcome for one caller. With `offer` (the caller's fail-safe), a failure with
   * a cause, or the soft timeout, may give the caller its fallback instead.
   */
  join(signal: AbortSignal | undefined, offer?: FallbackOffer): Promise<FlightOutcome> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#softPassed && !this.#settled) {
      const fallback = offer?.('soft');
      if (fallback !== undefined) {
        this.#pin();
        return Promise.resolve(fallback);
      }
    }
    // A caller with neither fail-safe nor a signal (the usual get) takes the flight's outcome as it is.
    if (offer === undefined && signal === undefined) {
      this.#pin();
      return this.#promise;
    }
    // Asked at most once, and never after the caller left.
    let asked = false;
    const ask = (reason: FallbackCause | 'soft', error?: unknown) => {
      if (asked) return undefined;
      const fallback = offer?.(reason, error);
      if (fallback !== undefined) asked = true;
      return fallback;
    };
    let soft: SoftHook | undefined;
    let outcome = this.#promise;
    if (offer !== undefined) {
      outcome = new Promise<FlightOutcome>((resolve, reject) => {
        soft = () => {
          const fallback = ask('soft');
          if (fallback !== undefined) resolve(fallback);
          return fallback !== undefined;
        };
        if (this.#soft === undefined) this.#soft = new Set();
        this.#soft.add(soft);
        this.#promise.then(resolve, (error: unknown) => {
          const fallback = this.#cause === undefined ? undefined : ask(this.#cause, error);
          if (fallback === undefined) reject(error);
          else resolve(fallback);
        });
      });
      const done = () => this.#soft?.delete(soft!);
      outcome.then(done, done);
    }
    if (signal === undefined) {
      this.#pin();
      return outcome;
    }
    this.#waiting++;
    return untilAborted(outcome, signal, () => {
      asked = true;
      if (soft !== undefined) this.#soft?.delete(soft);
      this.#leave();
    });
  }

  /**
   * The loader passed its soft timeout: each caller with a fallback at hand takes it now (and
   * each that joins later, at once). If any did, the flight is never abandoned from then on: the loader goes on in the background
   * (keeping its lock) and writes its value when it completes.
   */
  softTimeout(): void {
    if (this.#settled) return;
    this.#softPassed = true;
    let served = false;
    for (const hook of [...(this.#soft ?? [])]) if (hook()) served = true;
    if (served) this.#pin();
  }

  /** A caller without a signal can never leave: the flight is never abandoned under it. */
  #pin(): void {
    this.#waiting = Number.POSITIVE_INFINITY;
  }

  resolve(outcome: FlightOutcome): void {
    if (this.#settle()) this.#resolve(outcome);
  }

  /** Fails every caller; with a `cause`, callers with a fail-safe may take their fallback instead. */
  reject(error: unknown, cause?: FallbackCause): void {
    if (!this.#settle()) return;
    this.#cause = cause;
    // A flight nobody joined (its caller's signal had aborted) or that all left fails unhandled
    // otherwise; handled here, on the failure path only, not per flight.
    this.#promise.catch(ignore);
    this.#reject(error);
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
