import { ClosedError } from '@redcache/core';
import { Deferred } from '../promise/deferred.js';

/**
 * Whether a tracking pair is established, and a promise for when it next is. `epoch` counts
 * the breaks: a step that began in one epoch and ends in another spanned a break.
 *
 * A wait is bounded: once nobody has seen the pair open for `waitMs` since the first caller
 * began to wait, every waiter rejects with what `failure()` says, and the next caller starts a
 * new wait. One timer per wait, however many callers share it; unref'd.
 */
export class PairGate {
  readonly #waitMs: number;
  readonly #failure: () => Error;
  #open = false;
  #closed = false;
  #epoch = 0;
  #waiting: Waiting | undefined;

  constructor(waitMs: number, failure: () => Error) {
    this.#waitMs = waitMs;
    this.#failure = failure;
  }

  get open(): boolean {
    return this.#open;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Settles once open (at once if it is); rejects once closed. */
  whenOpen(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#open) return Promise.resolve();
    if (this.#waiting === undefined) {
      const waiting = new Waiting();
      waiting.timer = setTimeout(() => {
        if (this.#waiting === waiting) this.#waiting = undefined;
        waiting.fail(this.#failure());
      }, this.#waitMs).unref();
      this.#waiting = waiting;
    }
    return this.#waiting.promise;
  }

  openUp(): void {
    if (this.#closed) return;
    this.#open = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.settle();
  }

  /** Shuts it; true when it was open (a break). */
  shut(): boolean {
    if (!this.#open) return false;
    this.#open = false;
    this.#epoch++;
    return true;
  }

  close(): void {
    this.shut();
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.fail(closedError());
  }
}

/** One wait for the gate to open, shared by every caller that came while it was shut, and its bound. */
class Waiting extends Deferred {
  timer: NodeJS.Timeout | undefined;

  constructor() {
    // Nobody may be waiting when it ends: that rejection is not unhandled.
    super({ handled: true });
  }

  settle(): void {
    clearTimeout(this.timer);
    this.resolve();
  }

  fail(error: Error): void {
    clearTimeout(this.timer);
    this.reject(error);
  }
}

function closedError(): Error {
  return new ClosedError('send');
}
