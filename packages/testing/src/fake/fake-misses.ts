import type { FallbackReason } from './fake-call.js';
import { orFallback } from './fake-fallbacks.js';
import type { FakeLoads, LoadCall } from './fake-loads.js';
import type { FakeLog } from './fake-log.js';
import type { FakeOutage } from './fake-outage.js';
import type { FakePolicy } from './fake-policy.js';
import type { FakeStore } from './fake-store.js';

/** A read's keys that were not hits, and how to load them. */
export interface Misses<K> extends Omit<LoadCall<K>, 'softMs' | 'hardMs' | 'keepFallback'> {
  readonly ids: readonly string[];
  readonly policy: FakePolicy;
}

/**
 * What the fake's reads do with the keys they did not find fresh (all of them while Redis is
 * down). With a fallback (fail-safe: a value expired less than `maxStaleMs` ago, or any value
 * while down): served at once while Redis is down or the key's loader is throttled, else the
 * load, and the fallback if it fails, times out (hard) or is slow (soft). Without one: the
 * load (direct, not stored, while down with `whenRedisIsDown: 'load'`), or, while down with
 * `'fail'`, `RedisUnavailableError` naming the operation and those keys, before any loader runs.
 */
export class FakeMisses<K, V> {
  readonly #store: FakeStore<K, V>;
  readonly #loads: FakeLoads<K, V>;
  readonly #log: FakeLog<K>;
  readonly #outage: FakeOutage;
  readonly #now: () => number;

  constructor(
    store: FakeStore<K, V>,
    loads: FakeLoads<K, V>,
    log: FakeLog<K>,
    outage: FakeOutage,
    now: () => number,
  ) {
    this.#store = store;
    this.#loads = loads;
    this.#log = log;
    this.#outage = outage;
    this.#now = now;
  }

  /** The values of `misses.ids`, in order; the first failure rejects. */
  resolve(misses: Misses<K>): Promise<unknown[]> {
    const { op, policy, originals } = misses;
    const down = this.#outage.down;
    const fallbacks = new Map<string, unknown>();
    if (policy.failSafe !== false) {
      for (const id of misses.ids) {
        const found = this.#store.fallback(op, id, policy.failSafe.maxStaleMs);
        if (found !== undefined) fallbacks.set(id, found.value);
      }
    }
    const refused = misses.ids.filter(
      (id) => down && !fallbacks.has(id) && policy.whenRedisIsDown === 'fail',
    );
    if (refused.length > 0) {
      const keys = refused.map((id) => originals.get(id)!);
      this.#log.push({ op: 'unavailable', by: op, keys });
      return Promise.reject(this.#outage.refusal(op, op === 'get' ? keys[0] : keys));
    }
    const serve = (id: string) => (reason: FallbackReason) => {
      this.#log.push({ op: 'fallback', by: op, key: originals.get(id)!, reason });
      if (reason === 'soft-timeout') this.#loads.pin(id);
      // A fallback served for a failed loader throttles it (as core does; a soft timeout does not).
      const failed = reason === 'loader-error' || reason === 'hard-timeout';
      if (failed && policy.failSafe !== false && policy.failSafe.throttleMs > 0) {
        this.#store.throttle(id, this.#now() + policy.failSafe.throttleMs);
      }
    };
    const outcomes = new Map<string, Promise<unknown>>();
    for (const id of fallbacks.keys()) {
      const reason = down ? 'redis-down' : this.#store.throttled(id) ? 'throttled' : undefined;
      if (reason === undefined) continue;
      serve(id)(reason);
      outcomes.set(id, Promise.resolve(fallbacks.get(id)));
    }
    const toLoad = misses.ids.filter((id) => !outcomes.has(id));
    if (toLoad.length > 0) {
      const call = {
        ...misses,
        softMs: policy.loaderTimeout.softMs,
        hardMs: policy.loaderTimeout.hardMs,
        keepFallback: policy.failSafe !== false,
      };
      const loaded = this.#loads.run(call, toLoad, down);
      for (const [i, id] of toLoad.entries()) {
        outcomes.set(
          id,
          fallbacks.has(id)
            ? orFallback(
                loaded[i]!,
                fallbacks.get(id),
                this.#loads.softTimeoutOf(id),
                misses.signal,
                serve(id),
              )
            : loaded[i]!,
        );
      }
    }
    return Promise.all(misses.ids.map((id) => outcomes.get(id)!));
  }
}
