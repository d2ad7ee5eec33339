import { ConnectError, type Logger } from '@redcache/core';
import { type ConnectFailureDetail, classifyFailure, connectErrorOf } from '@redcache/core/internal';
import { withDeadline } from './deadline.js';
import { decideRetry, type ReconnectStrategy, type RetryDecision } from './reconnect-strategy.js';
import { HELLO_3 } from './server-version.js';

/**
 * One `connect` call: the deadline (`connectTimeoutMs`), the failures seen on the way, and the
 * reconnect strategy node-redis is given. While connecting, each failure is logged at warn
 * with what comes next; retries are cut short so none is due after the deadline; your own
 * `reconnectStrategy: false` (or a strategy that gives up) ends the attempt at the first
 * failure. Once connected, `strategy` is your strategy (or node-redis's default) again.
 */
export class ConnectAttempt {
  readonly address: string;
  readonly timeoutMs: number;
  readonly #logger: Logger;
  readonly #yours: ReconnectStrategy | undefined;
  readonly #startedAt = Date.now();
  #connecting = true;
  #attempts = 0;
  #last: ConnectFailureDetail | undefined;

  constructor(address: string, timeoutMs: number, logger: Logger, yours: ReconnectStrategy | undefined) {
    this.address = address;
    this.timeoutMs = timeoutMs;
    this.#logger = logger;
    this.#yours = yours;
  }

  /** The `reconnectStrategy` to give node-redis. */
  readonly strategy = (retries: number, cause: Error): RetryDecision => {
    const decision = decideRetry(this.#yours, retries, cause);
    if (!this.#connecting) return decision;
    // Giving up: the caller gets this failure as the ConnectError, no need to log it too.
    if (decision === false || decision instanceof Error) {
      this.noted(cause);
      return decision;
    }
    const remaining = this.remainingMs();
    if (remaining === 0) {
      this.noted(cause);
      return false;
    }
    const retryIn = Math.min(decision, remaining);
    this.#record(cause, `retrying in ${retryIn} ms`);
    return retryIn;
  };

  /** A failure node-redis reports only as an `'error'` event (a reply that is not RESP, a root node of a cluster). */
  failed(cause: unknown, next: string): void {
    if (this.#connecting) this.#record(cause, next);
  }

  /** A failure seen, logged by `strategy` already: remembered as the latest cause, not logged again. */
  noted(cause: unknown): void {
    if (!this.#connecting) return;
    if (this.#last?.cause !== cause) this.#attempts++;
    this.#last = classifyFailure(cause, HELLO_3);
  }

  remainingMs(): number {
    return Math.max(0, this.#startedAt + this.timeoutMs - Date.now());
  }

  /**
   * Runs `work` (connecting, then checking the server) until the deadline. Past it, `stop()`
   * is called (it must end node-redis's retries and close every socket) and this rejects.
   * Rejects with a `ConnectError` in every case.
   */
  async run<T>(work: () => Promise<T>, stop: () => Promise<void>): Promise<T> {
    try {
      return await withDeadline(work(), this.remainingMs(), () => this.#timedOut());
    } catch (error) {
      await stop();
      throw this.errorOf(error);
    } finally {
      this.#connecting = false;
    }
  }

  /** The `ConnectError` for how the attempt ended. */
  errorOf(error: unknown): ConnectError {
    if (error instanceof ConnectError) return error;
    if (this.remainingMs() === 0) return this.#timedOut();
    if (error instanceof Error && error.constructor.name === 'RootNodesUnavailableError' && this.#last) {
      return this.#errorOfLast('every root node failed');
    }
    return connectErrorOf(this.address, error, HELLO_3);
  }

  #timedOut(): ConnectError {
    const bound = `connectTimeoutMs ${this.timeoutMs} ms`;
    if (this.#last === undefined) {
      return new ConnectError(this.address, 'timeout', `timed out: not connected within ${bound}`);
    }
    return this.#errorOfLast(`gave up after ${this.#attempts} failed attempt(s) within ${bound}`);
  }

  #errorOfLast(suffix: string): ConnectError {
    const last = this.#last as ConnectFailureDetail;
    return new ConnectError(this.address, last.reason, `${last.detail}; ${suffix}`, last.cause);
  }

  #record(cause: unknown, next: string): void {
    this.noted(cause);
    const last = this.#last as ConnectFailureDetail;
    this.#logger.warn(`redcache: connect ${this.address}: ${last.detail}; ${next}`, {
      op: 'connect',
      server: this.address,
      address: this.address,
      reason: last.reason,
      attempt: this.#attempts,
      error: last.cause instanceof Error ? last.cause.message : String(last.cause),
    });
  }
}
