import { LoaderTimeoutError } from '@redcache/core';
import { choicesOf, failedErrors, storeTtlOf } from '@redcache/core/internal';
import { FakeFlights, type LoadOutcome } from './fake-flights.js';
import type { FakeLog } from './fake-log.js';
import type { FakeOutage } from './fake-outage.js';
import type { Encoded, FakeStore } from './fake-store.js';
import { withHardTimeout } from './fake-timeout.js';

/** Calls a loader for some Redis keys; its values by Redis key (core's `singleLoad`, `multiLoad`). */
export type Load = (keys: string[], signal: AbortSignal) => Promise<Map<string, unknown>>;

/** One read's loads: what `FakeLoads.run` needs to know of the call. */
export interface LoadCall<K> {
  readonly op: 'get' | 'getMulti';
  /** The call's keys, by Redis key. */
  readonly originals: ReadonlyMap<string, K>;
  readonly ttl: number;
  readonly load: Load;
  readonly softMs: number | undefined;
  readonly hardMs: number | undefined;
  /** The call has fail-safe: a direct load's values are kept as fallbacks. */
  readonly keepFallback: boolean;
  readonly signal: AbortSignal | undefined;
}

/**
 * The loads of the fake's reads: one loader call per key at a time (`FakeFlights`), its
 * values encoded, stored and read back as callers see them. A load past its hard timeout
 * rejects its callers with `LoaderTimeoutError` and aborts its signal. A load whose signal
 * aborted (hard timeout, or no caller waits any more) stores nothing, nor does one that ends
 * while Redis is down: its callers get the value. A `direct` load (Redis down,
 * `whenRedisIsDown: 'load'`) is a flight of its own and never stored, only kept as a
 * fallback when the call has fail-safe (as core keeps it in its near cache). A value is stored
 * with the ttl its loader chose (`setTtl`); one it chose not to store (`skipStore`) goes to
 * the load's callers only, stored nowhere, not even as a fallback.
 */
export class FakeLoads<K, V> {
  readonly #stored = new FakeFlights();
  readonly #direct = new FakeFlights();
  /** The soft timeouts of the stored loads running (resolved once passed), by key. */
  readonly #soft = new Map<string, Promise<void>>();
  readonly #store: FakeStore<K, V>;
  readonly #log: FakeLog<K>;
  readonly #outage: FakeOutage;

  constructor(store: FakeStore<K, V>, log: FakeLog<K>, outage: FakeOutage) {
    this.#store = store;
    this.#log = log;
    this.#outage = outage;
  }

  /** The outcome of each of `ids`, in order: joined to a load in flight, or a new one. */
  run(call: LoadCall<K>, ids: readonly string[], direct: boolean): Promise<unknown>[] {
    const flights = direct ? this.#direct : this.#stored;
    return flights.run(ids, call.signal, (started, signal) => {
      const keys = started.map((id) => call.originals.get(id)!);
      const timeout = () => new LoaderTimeoutError(call.op, call.op === 'get' ? keys[0] : keys, call.hardMs!);
      const endSoft = direct ? () => {} : this.#softClock(started, call.softMs);
      return withHardTimeout(call.hardMs, signal, timeout, (timed) =>
        this.#load(call, started, timed, direct),
      ).finally(endSoft);
    });
  }

  /**
   * Resolves at the soft timeout of the load of `id` running now (the `softMs` of the call
   * that started it, from its start), or is resolved already once it passed (a caller with a
   * fallback that joins later gets it at once, as in core); undefined when it has none.
   */
  softTimeoutOf(id: string): Promise<void> | undefined {
    return this.#soft.get(id);
  }

  /** The load of `id` goes on whatever its callers do: one took its fallback at the soft timeout. */
  pin(id: string): void {
    this.#stored.pin(id);
  }

  /** Starts the soft timeout of a load of `ids` (a timer); returns what ends it. */
  #softClock(ids: readonly string[], softMs: number | undefined): () => void {
    if (softMs === undefined) return () => {};
    let fire!: () => void;
    const fired = new Promise<void>((resolve) => {
      fire = resolve;
    });
    const forget = () => {
      for (const id of ids) if (this.#soft.get(id) === fired) this.#soft.delete(id);
    };
    for (const id of ids) this.#soft.set(id, fired);
    const timer = setTimeout(fire, softMs);
    return () => {
      clearTimeout(timer);
      forget();
    };
  }

  async #load(
    call: LoadCall<K>,
    ids: readonly string[],
    signal: AbortSignal,
    direct: boolean,
  ): Promise<Map<string, LoadOutcome>> {
    const keyOf = (id: string) => call.originals.get(id)!;
    this.#log.load(call.op, ids.map(keyOf), direct);
    const values = await call.load([...ids], signal);
    const choices = choicesOf(values);
    const { encoded, failed } = this.#store.encodeAll(ids, values);
    const errors = failedErrors(call.op, failed, keyOf);
    const store = !direct && !signal.aborted && !this.#outage.down;
    const outcomes = new Map<string, LoadOutcome>();
    for (const id of ids) {
      const value = encoded.get(id);
      const ttl = storeTtlOf(choices, id, call.ttl);
      if (value === undefined) outcomes.set(id, { ok: false, error: errors.get(id) });
      else
        outcomes.set(
          id,
          store && ttl !== undefined
            ? this.#keep(call, id, value, ttl)
            : this.#view(call.op, keyOf(id), value),
        );
      if (value !== undefined && ttl !== undefined && direct && call.keepFallback && !signal.aborted) {
        this.#store.keepFallback(id, keyOf(id), value);
      }
    }
    return outcomes;
  }

  /** Stores a loaded value for `ttl` ms and reads it back as callers will see it (decoded, shared). */
  #keep(call: LoadCall<K>, id: string, value: Encoded, ttl: number): LoadOutcome {
    this.#store.put(id, call.originals.get(id)!, value, ttl);
    try {
      const stored = this.#store.read(call.op, id);
      return stored.found
        ? { ok: true, value: stored.value }
        : { ok: false, error: new Error('expired at once') };
    } catch (error) {
      return { ok: false, error };
    }
  }

  #view(op: string, key: K, value: Encoded): LoadOutcome {
    try {
      return { ok: true, value: this.#store.view(op, key, value) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
