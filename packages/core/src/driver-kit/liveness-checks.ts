import { LivenessCheck, type Pingable } from './liveness-check.js';
import type { LivenessCheckOptions } from './liveness-options.js';

/**
 * A liveness check on each connection the driver follows (one for a single client, one per
 * node client on a cluster), all reporting to one `onFailure`. Keyed by the driver's own
 * connection object (`K`, a client), which `pingableOf` turns into what the check PINGs. With
 * `false`, none. Once stopped, it starts no more checks.
 */
export class LivenessChecks<K> {
  readonly #options: LivenessCheckOptions | false;
  readonly #onFailure: () => void;
  readonly #pingableOf: (key: K) => Pingable;
  readonly #checks = new Map<K, LivenessCheck>();
  #stopped = false;

  /** `pingableOf` is called once per connection added, when it is added. */
  constructor(
    options: LivenessCheckOptions | false,
    onFailure: () => void,
    pingableOf: (key: K) => Pingable,
  ) {
    this.#options = options;
    this.#onFailure = onFailure;
    this.#pingableOf = pingableOf;
  }

  /** Starts checking the connection, unless it is checked already. */
  add(key: K): void {
    if (this.#options === false || this.#stopped || this.#checks.has(key)) return;
    this.#checks.set(key, new LivenessCheck(this.#pingableOf(key), this.#options, this.#onFailure));
  }

  /** Stops checking the connection. */
  delete(key: K): void {
    this.#checks.get(key)?.stop();
    this.#checks.delete(key);
  }

  /** Stops every check, for good. */
  stop(): void {
    this.#stopped = true;
    for (const check of this.#checks.values()) check.stop();
    this.#checks.clear();
  }
}
