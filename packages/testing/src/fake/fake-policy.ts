import type { CallOptions, Options } from '@redcache/core';
import { callResilience, resolveOptions } from '@redcache/core/internal';

type Resolved = ReturnType<typeof resolveOptions>;
type Resilience = Pick<Options, 'whenRedisIsDown' | 'failSafe' | 'loaderTimeout'>;

/** Validates through core's schema; keys left undefined get core's defaults. */
function resolve(options: { [P in keyof Resilience]?: Resilience[P] | undefined }): Resolved {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return resolveOptions(given as Options);
}

/** The resilience options in effect for one call: the fake's own, or the call's where it gives them. */
export interface FakePolicy {
  readonly whenRedisIsDown: Resolved['whenRedisIsDown'];
  readonly failSafe: Resolved['failSafe'];
  readonly loaderTimeout: Resolved['loaderTimeout'];
}

/** The options of core's `Options` the fake takes, with the same meaning. */
export type FakeResilienceOptions = Resilience;

/**
 * The fake's resilience options, validated by core's own options schema (`resolveOptions`:
 * the same defaults, and `InvalidOptionsError` naming the option), and merged with a call's
 * `failSafe` / `loaderTimeout` (core's `callResilience`). `onMaxStale` hears every `maxStaleMs` in use, so that the
 * store keeps expired entries long enough to serve them as fallbacks.
 */
export class FakePolicies {
  readonly #own: FakePolicy;
  readonly #resolved: Resolved;
  readonly #onMaxStale: (ms: number) => void;

  constructor(options: FakeResilienceOptions, onMaxStale: (ms: number) => void) {
    this.#resolved = resolve({
      whenRedisIsDown: options.whenRedisIsDown,
      failSafe: options.failSafe,
      loaderTimeout: options.loaderTimeout,
    });
    const { whenRedisIsDown, failSafe, loaderTimeout } = this.#resolved;
    this.#own = { whenRedisIsDown, failSafe, loaderTimeout };
    this.#onMaxStale = onMaxStale;
    if (failSafe !== false) onMaxStale(failSafe.maxStaleMs);
  }

  /**
   * The options for `op` on `key`; its own `failSafe` / `loaderTimeout` are validated by core's
   * `callResilience`, as a real view's are (the same errors, naming the op and the key).
   */
  forCall(opts: CallOptions | undefined, op: 'get' | 'getMulti', key: unknown): FakePolicy {
    if (opts?.failSafe === undefined && opts?.loaderTimeout === undefined) return this.#own;
    const { failSafe, loaderTimeout } = callResilience(this.#resolved, opts, op, key);
    if (failSafe !== false) this.#onMaxStale(failSafe.maxStaleMs);
    return { whenRedisIsDown: this.#own.whenRedisIsDown, failSafe, loaderTimeout };
  }
}
