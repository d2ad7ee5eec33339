import { RedcacheError } from '@redcache/core';
import { sleep } from '@redcache/fleet';

/** A batch of calls that settled: who made them, when (`performance.now()`), how each ended. */
export interface SettledBatch {
  readonly label: string;
  readonly atMs: number;
  /** One per call: `value <what>`, or `error <what>` (see `describeError`). */
  readonly outcomes: readonly string[];
}

/**
 * Calls watched through a failover: records when each batch settles and how each of its
 * calls ended, and tells which are still pending. A batch is one in-process call, or one
 * worker request (its callers settle together).
 */
export class CallLog {
  readonly settled: SettledBatch[] = [];
  readonly #pending = new Map<number, string>();
  #next = 0;

  /** Watches a batch; `outcomes` resolves with one outcome per call and never rejects. */
  watch(label: string, outcomes: Promise<readonly string[]>): void {
    const id = this.#next++;
    this.#pending.set(id, label);
    void outcomes.then((list) => {
      this.#pending.delete(id);
      this.settled.push({ label, atMs: performance.now(), outcomes: list });
    });
  }

  /** Watches one in-process call: its value, described by `describe`, or its error. */
  call<T>(label: string, promise: Promise<T>, describe: (value: T) => string): void {
    this.watch(
      label,
      promise.then(
        (value) => [`value ${describe(value)}`],
        (error: unknown) => [`error ${describeError(error)}`],
      ),
    );
  }

  /** Labels of the batches not settled yet. */
  get pending(): string[] {
    return [...this.#pending.values()];
  }

  /** Resolves once every batch settled, or at `deadlineMs` (`performance.now()`), whichever is first. */
  async drained(deadlineMs: number): Promise<void> {
    while (this.#pending.size > 0 && performance.now() < deadlineMs) await sleep(20);
  }

  /** How many calls ended each way, per label: `label: outcome` → count. */
  tally(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const batch of this.settled) {
      for (const outcome of batch.outcomes) {
        const name = `${batch.label}: ${outcome}`;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
    return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/**
 * A redcache error as `<code> <name> <- <class of its cause>: "<cause message>"`; anything
 * else as `untyped <text>`, which no test accepts.
 */
export function describeError(error: unknown): string {
  if (!RedcacheError.isInstance(error)) return `untyped ${String(error)}`;
  const cause = error.cause;
  if (cause === undefined) return `${error.code} ${error.name}`;
  const kind = cause instanceof Error ? cause.constructor.name : typeof cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `${error.code} ${error.name} <- ${kind}: ${JSON.stringify(message)}`;
}

/**
 * A worker's outcome (`<value>@<pid>` or `error:<String(error)>`, see worker.ts) in the same
 * terms: `value <value>`, or `error <name>: <message without the key>`.
 */
export function describeWorkerOutcome(outcome: string): string {
  if (!outcome.startsWith('error:')) return `value ${outcome.replace(/@\d+$/, '')}`;
  return `error ${outcome.slice('error:'.length).replace(/ key "[^"]*"/, '')}`;
}
