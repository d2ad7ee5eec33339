import { RedcacheError } from '@redcache/core';

/** How one call settled, and when (ms after `since`). */
export interface Settled {
  readonly ok: boolean;
  /** The value, or `<code> <message>` of a redcache error, or `untyped <text>`. */
  readonly outcome: string;
  /** When it settled, in ms after `mark()`. */
  readonly afterMs: number;
  /** How long it took, in ms after it was watched. */
  readonly tookMs: number;
}

/** Watches calls started around a fault: each settles into `settled`, with the time since `since()`. */
export class CallWatch {
  readonly settled: Settled[] = [];
  readonly #pending = new Set<Promise<void>>();
  #since = performance.now();

  /** Measures from now on. */
  mark(): void {
    this.#since = performance.now();
  }

  get since(): number {
    return this.#since;
  }

  watch(call: Promise<unknown>): void {
    const started = performance.now();
    const settle = (ok: boolean, outcome: string) => {
      const now = performance.now();
      this.settled.push({ ok, outcome, afterMs: now - this.#since, tookMs: now - started });
    };
    const done = call.then(
      (value) => settle(true, String(value)),
      (error: unknown) => settle(false, describe(error)),
    );
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Resolves once every watched call settled. */
  async drained(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** The latest settle time, in ms after `mark()`. */
  get slowestMs(): number {
    return Math.max(0, ...this.settled.map((s) => s.afterMs));
  }

  /** The longest any call took, in ms. */
  get longestMs(): number {
    return Math.max(0, ...this.settled.map((s) => s.tookMs));
  }

  /** How many calls ended each way (messages without their key or timestamp). */
  tally(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { outcome } of this.settled) {
      const name = outcome.replace(/ key "[^"]*"/, '').replace(/since \S+/, 'since <t>');
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }
}

function describe(error: unknown): string {
  if (!RedcacheError.isInstance(error)) return `untyped ${String(error)}`;
  return `${error.code} ${error.message}`;
}
