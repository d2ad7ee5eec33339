import { setTimeout as sleep } from 'node:timers/promises';

/** How long a read of the "database" takes; `slow` ids take longer than the service's hard loader timeout. */
export const READ_MS = 5;
export const SLOW_READ_MS = 1_000;
/** How long a read of a `held` id takes: long enough for the test to take its lock away meanwhile. */
export const HELD_READ_MS = 150;

/**
 * The service's stand-in for a database, with behaviours chosen by the id's prefix so the
 * test can drive every path: `broken…` always fails; `slow…` takes `SLOW_READ_MS`; `held…`
 * takes `HELD_READ_MS`; `flaky…`
 * answers once, then fails (a fail-safe fallback or a refresh error follows); anything else
 * answers in `READ_MS`.
 */
export class Database {
  readonly #reads = new Map<string, number>();

  async read<T>(id: string, make: (id: string) => T, signal?: AbortSignal): Promise<T> {
    const reads = (this.#reads.get(id) ?? 0) + 1;
    this.#reads.set(id, reads);
    await sleep(readMs(id), undefined, { signal });
    if (id.startsWith('broken') || (id.startsWith('flaky') && reads > 1)) throw new Error(`no row ${id}`);
    return make(id);
  }
}

function readMs(id: string): number {
  if (id.startsWith('slow')) return SLOW_READ_MS;
  return id.startsWith('held') ? HELD_READ_MS : READ_MS;
}
