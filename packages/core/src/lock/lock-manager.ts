import type { RuntimeDriver } from '../driver/runtime-driver.js';
import { ClosedError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import { LockTokens } from '../wire/lock-token.js';
import type { HeldLock, SavedValue } from './held-lock.js';
import { sendReleases } from './release-locks.js';
import { renewRound } from './renew-locks.js';

/** What the lock manager needs of its connection. */
export interface LockManagerParts {
  readonly driver: RuntimeDriver;
  readonly logger: Logger;
  readonly lockTTLMs: number;
  readonly lockPrefix: string;
}

/**
 * The one owner of this connection's locks: it makes their tokens, records every lock won in
 * Redis, renews them all on one timer (every lockTTL/3, while any is held), and releases them.
 * No other code changes lock state. Once closed it takes no lock: one won after close (its
 * SET NX was in flight) is released at once; renewal stops; `releaseAll()` lets go of the rest.
 */
export class LockManager {
  readonly #parts: LockManagerParts;
  readonly #tokens: LockTokens;
  readonly #held = new Set<HeldLock>();
  /** Held, but found gone in Redis: not renewed any more. */
  readonly #gone = new WeakSet<HeldLock>();
  readonly #releasing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #renewing = false;
  #closed = false;

  constructor(parts: LockManagerParts) {
    this.#parts = parts;
    this.#tokens = new LockTokens(parts.lockPrefix);
  }

  /** Locks held now. */
  get size(): number {
    return this.#held.size;
  }

  /** A fresh lock value: `<lockPrefix><uuidv7>:<counter>`. */
  nextToken(): string {
    return this.#tokens.next();
  }

  /**
   * Records a lock just won in Redis (`token` now sits in `key`). Returns it, held and renewed
   * from now on — or, once closed, releases it at once and returns undefined.
   */
  hold(op: string, key: string, token: string, saved?: SavedValue): HeldLock | undefined {
    const lock: HeldLock = saved === undefined ? { key, token } : { key, token, saved };
    if (this.#closed) {
      this.#track(sendReleases(this.#parts.driver, this.#parts.logger, op, [lock]));
      return undefined;
    }
    this.#held.add(lock);
    this.#timer ??= this.#startTimer();
    return lock;
  }

  /** Forgets locks that are gone from Redis: replaced by our value, or lost. */
  forget(locks: Iterable<HeldLock>): void {
    for (const lock of locks) this.#held.delete(lock);
    this.#stopTimerIfIdle();
  }

  /**
   * Releases locks we hold (see `sendReleases`); they are forgotten at once. With `restore:
   * false` a write lock's saved value is not put back: the key is left empty.
   */
  release(op: string, locks: Iterable<HeldLock>, how?: { readonly restore: false }): Promise<void> {
    const mine = [...locks].filter((lock) => this.#held.delete(lock));
    this.#stopTimerIfIdle();
    if (mine.length === 0) return Promise.resolve();
    const sent = how === undefined ? mine : mine.map(({ key, token }) => ({ key, token }));
    return this.#track(sendReleases(this.#parts.driver, this.#parts.logger, op, sent));
  }

  /** Throws `ClosedError` once closed: no more locks are taken. */
  assertTaking(op: string, key: unknown): void {
    if (this.#closed) throw new ClosedError(op, key);
  }

  /** Takes no more locks and stops renewing. Releases already under way go on. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Releases every lock still held, and waits for releases under way. */
  async releaseAll(): Promise<void> {
    const pending = this.release('close', [...this.#held]);
    await Promise.all([pending, ...this.#releasing]);
  }

  #track(releasing: Promise<void>): Promise<void> {
    this.#releasing.add(releasing);
    void releasing.finally(() => this.#releasing.delete(releasing));
    return releasing;
  }

  #startTimer(): NodeJS.Timeout {
    const timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.#parts.lockTTLMs / 3)));
    timer.unref();
    return timer;
  }

  #stopTimerIfIdle(): void {
    if (this.#held.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.#closed) return;
    const live = [...this.#held].filter((lock) => !this.#gone.has(lock));
    if (live.length === 0) return;
    this.#renewing = true;
    try {
      const gone = await renewRound(this.#parts.driver, this.#parts.logger, this.#parts.lockTTLMs, live);
      for (const lock of gone) this.#gone.add(lock);
    } finally {
      this.#renewing = false;
    }
  }
}
