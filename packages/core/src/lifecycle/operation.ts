import type { AbortWatch } from './abort-source.js';
import { onAbort } from './on-abort.js';

/**
 * One unit of work in flight on a connection: a flight's load, a write, a peek, a refresh.
 * It aborts when the work is no longer wanted — its caller's signal aborted, no caller waits
 * any more, its time is up, or the connection closes — and `end()` says it is over (its locks
 * released). The engine watches it directly (`AbortWatch`: a set of callbacks); its
 * `AbortSignal` is made only when asked for (for a loader), already aborted if the operation
 * is. The caller's signal gets one listener, removed at `end()`; nothing is combined with a
 * long-lived signal (`AbortSignal.any` leaks on Node 20).
 */
export class Operation implements AbortWatch {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** The engine's abort callbacks: one as it is, more in a Set. */
  #callbacks: (() => void) | Set<() => void> | undefined;
  #stopForwarding: (() => void) | undefined;
  readonly #onEnd: (operation: Operation) => void;
  /** Work the operation left behind (an acquire in flight, its undo): it is not over before these settle. */
  #trailing: Set<Promise<void>> | undefined;
  #ended = false;

  constructor(caller: AbortSignal | undefined, onEnd: (operation: Operation) => void) {
    this.#onEnd = onEnd;
    if (caller === undefined) return;
    if (caller.aborted) this.abort(caller.reason);
    else this.#stopForwarding = onAbort(caller, () => this.abort(caller.reason));
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get ended(): boolean {
    return this.#ended;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  onAbort(callback: () => void): () => void {
    const callbacks = this.#callbacks;
    // The only one (the usual case) is kept as it is; one that joins a set gets a wrapper of
    // its own, so the same function registered twice runs twice.
    const entry = callbacks === undefined ? callback : () => callback();
    if (callbacks === undefined) this.#callbacks = entry;
    else if (callbacks instanceof Set) callbacks.add(entry);
    else this.#callbacks = new Set([callbacks, entry]);
    // Once only: a sole callback is its own entry, so a second call could remove the same
    // function registered anew.
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      const now = this.#callbacks;
      if (now === entry) this.#callbacks = undefined;
      else if (now instanceof Set) now.delete(entry);
    };
  }

  /**
   * Aborts the work with `reason` (an `AbortError` when undefined, as `AbortController` does;
   * a no-op once aborted): the signal (if made) first, then the engine's callbacks.
   */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason =
      reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.#controller?.abort(this.#reason);
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks instanceof Set) for (const run of callbacks) run();
    else callbacks?.();
  }

  /**
   * Keeps the operation registered until `work` settles, even past `end()`: an acquire still in
   * flight when its caller gave up, and the release that undoes it, finish before close goes on.
   */
  defer(work: Promise<unknown>): void {
    if (this.#trailing === undefined) this.#trailing = new Set();
    const trailing = this.#trailing;
    const settled = work.then(
      () => {},
      () => {},
    );
    trailing.add(settled);
    void settled.then(() => {
      trailing.delete(settled);
      if (this.#ended && trailing.size === 0) this.#onEnd(this);
    });
  }

  /** The work is over (once deferred work settles too). Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopForwarding?.();
    if (this.#trailing === undefined || this.#trailing.size === 0) this.#onEnd(this);
  }
}
