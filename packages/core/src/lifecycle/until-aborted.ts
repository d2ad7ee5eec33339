import type { AbortSource } from './abort-source.js';
import { whenAborted } from './on-abort.js';

/**
 * The one abort primitive: every await on user code (loaders) and on an acquire goes through it.
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts; then
 * `onAbort` runs, and if `promise` later fulfils, `undo(value)` runs with what it produced (to
 * release what was acquired after the caller gave up). The listener is removed once either
 * happens: nothing stays attached to a long-lived signal, and a signal shared by many calls
 * carries one listener (see `onAbort`). `signal` may be an operation (`AbortWatch`): then no
 * `AbortSignal` is made for it. `settled`, if given, runs once when `promise` itself settles,
 * aborted or not (for a caller that would otherwise add a reaction of its own to watch it).
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSource | undefined,
  onAbort?: () => void,
  undo?: (value: T) => void,
  settled?: () => void,
): Promise<T> {
  if (signal === undefined) {
    if (settled !== undefined) promise.then(settled, settled);
    return promise;
  }
  if (signal.aborted) {
    abandon(promise, undo, settled);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const abort = () => {
      if (done) return;
      done = true;
      // The reactions below still run when `promise` settles (and call `settled`).
      abandon(promise, undo, undefined);
      onAbort?.();
      reject(signal.reason);
    };
    const dispose = whenAborted(signal, abort);
    promise.then(
      (value) => {
        settled?.();
        if (done) return;
        done = true;
        dispose();
        resolve(value);
      },
      (error: unknown) => {
        settled?.();
        if (done) return;
        done = true;
        dispose();
        reject(error);
      },
    );
  });
}

/** A promise nobody awaits any more: its rejection is ignored, its value undone (then `settled` runs). */
function abandon<T>(
  promise: Promise<T>,
  undo: ((value: T) => void) | undefined,
  settled: (() => void) | undefined,
): void {
  if (settled === undefined) {
    promise.then(undo, () => {});
    return;
  }
  promise.then((value) => {
    settled();
    undo?.(value);
  }, settled);
}
