import { RedcacheError } from '@redcache/core';

/** How one call settled, and when (ms after `since`). */
export interface Settled {
  readonly ok: boolean;
  /** The value, or `<code> <message>` of a redcache error, or `untyped <text>`. */
  readonly outcome: string;
  readonly afterMs: number;
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
    const done = call.then(
      (value) => {
        this.settled.push({ ok: true, outcome: String(value), afterMs: performance.now() - this.#since });
      },
      (error: unknown) => {
        this.settled.push({ ok: false, outcome: describe(error), afterMs: performance.now() - this.#since });
      },
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

  /** The latest settle time, in ms. */
  get slowestMs(): number {
    return Math.max(0, ...this.settled.map((s) => s.afterMs));
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
