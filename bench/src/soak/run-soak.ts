import { newStringCache, StringCodec } from '@redcache/core';
import { retainedHeapBytes } from './heap-sample.js';
import { SAMPLE_EVERY, type SoakOptions } from './soak-options.js';
import type { SoakTarget } from './soak-target.js';

/** The heap after GC at one call (or after close). */
export interface HeapSample {
  /** Calls made so far, misses and sets together. */
  readonly call: number;
  readonly phase: 'get miss' | 'set' | 'closed';
  readonly heapBytes: number;
  readonly serverKeys: number;
  /** Since the first call. */
  readonly elapsedMs: number;
}

/** Calls per block; the block's keys are deleted on the server before the next block. */
const BLOCK = 1_000;
/** Long enough never to expire during a run; the keys are deleted block by block anyway. */
const TTL_MS = 60_000;
const VALUE = 'soak';

/**
 * `options.misses` sequential `get`s of distinct keys, each loaded (a trivial loader), then
 * `options.sets` sequential `set`s of distinct keys; every call passes the same long-lived
 * signal, from one AbortController that never aborts. Samples the heap after GC every
 * SAMPLE_EVERY calls and after the last one, once that block's keys are deleted.
 */
export async function runSoak(
  target: SoakTarget,
  prefix: string,
  options: SoakOptions,
  onSample: (sample: HeapSample) => void,
): Promise<HeapSample[]> {
  const cache = newStringCache(target.conn, StringCodec);
  const caller = new AbortController();
  const callOptions = { signal: caller.signal };
  const loader = async (): Promise<string> => VALUE;
  const phases = [
    {
      phase: 'get miss' as const,
      keyPart: 'miss',
      count: options.misses,
      run: (key: string) => cache.get(key, TTL_MS, loader, callOptions),
    },
    {
      phase: 'set' as const,
      keyPart: 'set',
      count: options.sets,
      run: (key: string) => cache.set(key, TTL_MS, loader, callOptions),
    },
  ];
  const total = options.misses + options.sets;
  const samples: HeapSample[] = [];
  const startedAt = performance.now();
  let call = 0;
  for (const { phase, keyPart, count, run } of phases) {
    for (let start = 0; start < count; start += BLOCK) {
      const keys = Array.from(
        { length: Math.min(BLOCK, count - start) },
        (_, i) => `${prefix}${keyPart}:${start + i}`,
      );
      for (const key of keys) await run(key);
      call += keys.length;
      await target.clear(keys);
      if (call % SAMPLE_EVERY === 0 || call === total) {
        const sample = {
          call,
          phase,
          heapBytes: await retainedHeapBytes(),
          serverKeys: await target.serverKeys(),
          elapsedMs: performance.now() - startedAt,
        };
        samples.push(sample);
        onSample(sample);
      }
    }
  }
  return samples;
}
