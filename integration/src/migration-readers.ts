import type { Cache } from '@redcache/core';

/** Readers running in a loop, each value checked. */
export interface Readers {
  /** Calls that returned, every value right. */
  readonly calls: number;
  /** What went wrong: errors, wrong values, loader calls. A reader stops at its first. */
  readonly failures: readonly string[];
  /** Stops the loops and resolves once every reader has finished its last call. Idempotent. */
  stop(): Promise<void>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * Starts `concurrency` loops of `get` (one key) and `getMulti` (two to four keys) on keys of
 * `expected`, each checking what it gets against `expected`. The values are in Redis already:
 * a loader call is a failure.
 */
export function startReaders(
  cache: Cache<string, string>,
  expected: ReadonlyMap<string, string>,
  concurrency: number,
  ttlMs: number,
): Readers {
  const keys = [...expected.keys()];
  const failures: string[] = [];
  let calls = 0;
  let running = true;
  const mustNotLoad = async (): Promise<never> => {
    failures.push('a loader was called');
    throw new Error('must not load');
  };
  const check = (key: string, value: string | undefined) => {
    if (value !== expected.get(key)) failures.push(`${key}: ${String(value)}, not ${expected.get(key)}`);
  };
  const readOnce = async () => {
    if (Math.random() < 0.5) {
      const key = pick(keys);
      check(key, await cache.get(key, ttlMs, mustNotLoad));
      return;
    }
    const wanted = [...new Set(Array.from({ length: 2 + Math.floor(Math.random() * 3) }, () => pick(keys)))];
    const values = await cache.getMulti(wanted, ttlMs, mustNotLoad);
    for (const key of wanted) check(key, values.get(key));
  };
  const loop = async () => {
    while (running) {
      const before = failures.length;
      try {
        await readOnce();
      } catch (error) {
        failures.push(String(error));
      }
      if (failures.length > before) return;
      calls++;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    get calls() {
      return calls;
    },
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
