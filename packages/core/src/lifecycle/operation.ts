import { onAbort } from './on-abort.js';

/**
 * One unit of work in flight on a connection: a flight's load, a write, a peek, a refresh.
 * Its signal aborts when the work is no longer wanted — its caller's signal aborted, no caller
 * waits any more, its time is up, or the connection closes — and `end()` says it is over (its
 * locks released). The caller's signal gets one listener, removed at `end()`; nothing is
 * combined with a long-lived signal (`AbortSignal.any` leaks on Node 20).
 */
export class Operation {
  readonly #controller = new AbortController();
  #stopForwarding: (() => void) | undefined;
  readonly #onEnd: (operation: Operation) => void;
  /** Work the operation left behind (an acquire in flight, its undo): it is not over before these settle. */
  readonly #trailing = new Set<Promise<void>>();
  #ended = false;

  constructor(caller: AbortSignal | undefined, onEnd: (operation: Operation) => void) {
    this.#onEnd = onEnd;
    if (caller === undefined) return;
    if (caller.aborted) this.#controller.abort(caller.reason);
    else this.#stopForwarding = onAbort(caller, () => this.#controller.abort(caller.reason));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Aborts the work with `reason` (a no-op once aborted). */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  /**
   * Keeps the operation registered until `work` settles, even past `end()`: an acquire still in
   * flight when its caller gave up, and the release that undoes it, finish before close goes on.
   */
  defer(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#trailing.add(settled);
    void settled.then(() => {
      this.#trailing.delete(settled);
      if (this.#ended && this.#trailing.size === 0) this.#onEnd(this);
    });
  }

  /** The work is over (once deferred work settles too). Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopForwarding?.();
    if (this.#trailing.size === 0) this.#onEnd(this);
  }
}
