import { ClosedError } from '../errors/errors.js';
import { Operation } from './operation.js';

/**
 * A connection's lifecycle: open, then closing, then closed. Every piece of work registers as
 * an `Operation` while open; `close()` stops new work and aborts every operation with a
 * `ClosedError` (`stop()`), then waits, within a bound, until each has ended (`drained()`) —
 * that is, released what it held while the driver is still open.
 */
export class Lifecycle {
  readonly #operations = new Set<Operation>();
  #open = true;
  #drained: (() => void) | undefined;

  get isOpen(): boolean {
    return this.#open;
  }

  /** Work in flight. */
  get operations(): number {
    return this.#operations.size;
  }

  /** Throws `ClosedError` once `stop()` has been called. */
  assertOpen(op: string, key?: unknown): void {
    if (!this.#open) throw new ClosedError(op, key);
  }

  /**
   * Registers work. Its signal aborts with the caller's reason, or a `ClosedError` on close.
   * Throws `ClosedError` once stopped.
   */
  begin(op: string, key: unknown, caller?: AbortSignal): Operation {
    this.assertOpen(op, key);
    const operation = new Operation(caller, this.#end);
    this.#operations.add(operation);
    return operation;
  }

  /** Stops new work: `begin` and `assertOpen` throw `ClosedError` from now on. Aborts every operation. */
  stop(): void {
    this.#open = false;
    const closed = new ClosedError('close');
    for (const operation of [...this.#operations]) operation.abort(closed);
  }

  /**
   * Resolves once every operation has ended, or after `boundMs`, whichever comes first.
   * Returns how many were still running at the bound.
   */
  async drained(boundMs: number): Promise<number> {
    if (this.#operations.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#drained = resolve;
      timer = setTimeout(resolve, boundMs);
    });
    clearTimeout(timer);
    this.#drained = undefined;
    return this.#operations.size;
  }

  readonly #end = (operation: Operation): void => {
    this.#operations.delete(operation);
    if (this.#operations.size === 0) this.#drained?.();
  };
}
