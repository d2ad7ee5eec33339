import { RedisUnavailableError } from '@redcache/core';

/**
 * Whether the fake's Redis is down (`redisDown`), and since when. While it is, calls that need
 * Redis are refused with core's `RedisUnavailableError`, naming the operation and the key(s).
 */
export class FakeOutage {
  #since: number | undefined;

  get down(): boolean {
    return this.#since !== undefined;
  }

  /** Goes down at `now` (the fake's clock), or back up. Going down twice keeps the first `since`. */
  set(down: boolean, now: number): void {
    if (!down) this.#since = undefined;
    else this.#since ??= now;
  }

  refusal(op: string, key: unknown): RedisUnavailableError {
    return new RedisUnavailableError(op, key, 'redisDown(true) on the fake', this.#since ?? 0, 'fake');
  }
}
