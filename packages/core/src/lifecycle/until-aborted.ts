import type { AbortSource } from './abort-source.js';
import { whenAborted } from './on-abort.js';

/**
 * The one abort primitive: every await on user code (loaders) and on an acquire goes through it.
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts; then
 * `onAbort` runs, and if `promise` later fulfils, `undo(value)` runs with what it produced (to
 * release what was acquired after the caller gave up). The listener is removed once either
 * happens: nothing stays attached to a long-lived signal, and a signal shared by many calls
 * carries one listener (see `onAbort`). `signal` may be an operation (`AbortWatch`): then no
 * `AbortSignal` is made for it.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSource | undefined,
  onAbort?: () => void,
  undo?: (value: T) => void,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    abandon(promise, undo);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const abort = () => {
      if (settled) return;
      settled = true;
      abandon(promise, undo);
      onAbort?.();
      reject(signal.reason);
    };
    const dispose = whenAborted(signal, abort);
    promise.then(
      (value) => {
        if (settled) return;
        settled = true;
        dispose();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        dispose();
        reject(error);
      },
    );
  });
}

/** A promise nobody awaits any more: its rejection is ignored, its value undone. */
function abandon<T>(promise: Promise<T>, undo: ((value: T) => void) | undefined): void {
  promise.then(undo, () => {});
}
