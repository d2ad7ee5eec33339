import { LivenessCheck, type Pingable } from './liveness-check.js';
import type { LivenessCheckOptions } from './liveness-options.js';

/**
 * A liveness check on each connection the driver follows (one for a single client, one per
 * node client on a cluster), all reporting to one `onFailure`. With `false`, none. Once
 * stopped, it starts no more checks.
 */
export class LivenessChecks {
  readonly #options: LivenessCheckOptions | false;
  readonly #onFailure: () => void;
  readonly #checks = new Map<Pingable, LivenessCheck>();
  #stopped = false;

  constructor(options: LivenessCheckOptions | false, onFailure: () => void) {
    this.#options = options;
    this.#onFailure = onFailure;
  }

  /** Starts checking the client, unless it is checked already. */
  add(client: Pingable): void {
    if (this.#options === false || this.#stopped || this.#checks.has(client)) return;
    this.#checks.set(client, new LivenessCheck(client, this.#options, this.#onFailure));
  }

  /** Stops checking the client. */
  delete(client: Pingable): void {
    this.#checks.get(client)?.stop();
    this.#checks.delete(client);
  }

  /** Stops every check, for good. */
  stop(): void {
    this.#stopped = true;
    for (const check of this.#checks.values()) check.stop();
    this.#checks.clear();
  }
}
