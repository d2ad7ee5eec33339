import { ClosedError } from '@redcache/core';

/**
 * Whether a tracking pair is established, and a promise for when it next is. `epoch` counts
 * the breaks: a step that began in one epoch and ends in another spanned a break.
 */
export class PairGate {
  #open = false;
  #closed = false;
  #epoch = 0;
  #waiting: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;

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
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Nobody may be waiting when it is closed: that rejection is not unhandled.
      promise.catch(() => {});
      this.#waiting = { promise, resolve, reject };
    }
    return this.#waiting.promise;
  }

  openUp(): void {
    if (this.#closed) return;
    this.#open = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve();
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
    waiting?.reject(closedError());
  }
}

function closedError(): Error {
  return new ClosedError('send');
}
