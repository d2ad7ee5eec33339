import type { LoaderChoices } from './loader-choices.js';

/** How a run's loaded values are written, after its loader's choices (`setTtl`, `skipStore`). */
export interface StorePlan {
  /** The envelopes to write: every key's but the skipped ones'. */
  readonly stored: ReadonlyMap<string, Uint8Array>;
  /** The ttl of what is written: the call's, or each stored key's when the loader chose some. */
  readonly ttlMs: number | ReadonlyMap<string, number>;
  /** Keys whose loader chose `skipStore`: their values go to this process's callers only. */
  readonly skipped: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The plan for writing a run's values: as the call asked when its loader made no choice (no
 * copy of anything), else without the skipped keys and with each stored key's chosen ttl.
 *
 * @param envelopes - the envelopes of the values that encoded, by Redis key.
 * @param ttlMs - the call's ttl, in ms.
 * @param choices - the run's choices (`choicesOf` its answer), if it made any.
 * @returns the plan.
 */
export function planStore(
  envelopes: ReadonlyMap<string, Uint8Array>,
  ttlMs: number,
  choices: LoaderChoices | undefined,
): StorePlan {
  if (choices === undefined) return { stored: envelopes, ttlMs, skipped: NONE };
  const stored = new Map<string, Uint8Array>();
  const ttls = new Map<string, number>();
  const skipped: string[] = [];
  for (const [key, envelope] of envelopes) {
    const choice = choices.of(key);
    if (choice === 'skip') {
      skipped.push(key);
      continue;
    }
    stored.set(key, envelope);
    ttls.set(key, choice ?? ttlMs);
  }
  return { stored, ttlMs: ttls, skipped };
}

/**
 * A key's ttl in a plan (or in what a CAS is given).
 *
 * @param ttlMs - one ttl for every key, or each key's (the map holds every key written).
 * @param key - the Redis key.
 * @returns the ttl in ms.
 */
export function ttlOfKey(ttlMs: number | ReadonlyMap<string, number>, key: string): number {
  return typeof ttlMs === 'number' ? ttlMs : ttlMs.get(key)!;
}
