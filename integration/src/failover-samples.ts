import type { Cache } from '@redcache/core';
import { sleep } from '@redcache/fleet';
import { describeError } from './failover-calls.js';

/** One read of a key: when it started (`performance.now()`), and `value <v>` or `error <what>`. */
export interface Sample {
  readonly startedAtMs: number;
  readonly key: string;
  readonly outcome: string;
}

/**
 * Reads `keys` through `cache` (`get` with `ttlMs`) in rounds, `intervalMs` apart, while `keepGoing(samples)` says
 * so and for at most `maxMs`; a read that would load fails instead. `samples` fills as it
 * goes; `done` resolves when it stops. `show` names a value in its outcome.
 */
export function sampleReads<V>(
  cache: Cache<string, V>,
  keys: readonly string[],
  show: (value: V) => string,
  keepGoing: (samples: readonly Sample[]) => boolean,
  { ttlMs = 60_000, intervalMs = 50, maxMs = 45_000 } = {},
): { readonly samples: Sample[]; readonly done: Promise<void> } {
  const samples: Sample[] = [];
  const deadline = performance.now() + maxMs;
  const mustNotLoad = async (): Promise<V> => {
    throw new Error('must not load');
  };
  const done = (async () => {
    while (keepGoing(samples) && performance.now() < deadline) {
      const startedAtMs = performance.now();
      const results = await Promise.allSettled(keys.map((key) => cache.get(key, ttlMs, mustNotLoad)));
      results.forEach((result, i) => {
        const outcome =
          result.status === 'fulfilled'
            ? `value ${show(result.value)}`
            : `error ${describeError(result.reason)}`;
        samples.push({ startedAtMs, key: keys[i]!, outcome });
      });
      await sleep(intervalMs);
    }
  })();
  return { samples, done };
}

/** The samples of reads that started after `atMs`. */
export const samplesAfter = (samples: readonly Sample[], atMs: number): Sample[] =>
  samples.filter((sample) => sample.startedAtMs > atMs);
