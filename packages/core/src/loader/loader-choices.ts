/** What a loader chose for a key: a ttl in whole ms (`setTtl`), or `'skip'` (`skipStore`). */
export type LoaderChoice = number | 'skip';

/**
 * One loader run's choices (`LoaderContext.setTtl`, `skipStore`), by Redis key. Made on the
 * first call, so a loader that makes none costs nothing here. A call without keys is for every
 * key of the run and overrides the calls before it; the last call for a key wins.
 */
export class LoaderChoices {
  #every: LoaderChoice | undefined;
  #byKey: Map<string, LoaderChoice> | undefined;

  /** Records `choice` for `redisKeys`, or for every key of the run when undefined. */
  choose(choice: LoaderChoice, redisKeys: Iterable<string> | undefined): void {
    if (redisKeys === undefined) {
      this.#every = choice;
      this.#byKey = undefined;
      return;
    }
    for (const key of redisKeys) {
      this.#byKey ??= new Map();
      this.#byKey.set(key, choice);
    }
  }

  /** The choice for `key`, or undefined when the loader made none for it. */
  of(key: string): LoaderChoice | undefined {
    return this.#byKey?.get(key) ?? this.#every;
  }
}

/** The choices of the run that answered each loader result (only runs that made some). */
const choicesByResult = new WeakMap<ReadonlyMap<string, unknown>, LoaderChoices>();

/** Ties a run's choices to its answer (values by Redis key), where the values are written. */
export function attachChoices(
  values: ReadonlyMap<string, unknown>,
  choices: LoaderChoices | undefined,
): void {
  if (choices !== undefined) choicesByResult.set(values, choices);
}

/**
 * The choices of the run that answered `values` (see `attachChoices`), or undefined when its
 * loader made none (or `values` came from no loader run).
 *
 * @param values - a loader's answer, by Redis key, as `singleLoad` or `multiLoad` resolved it.
 * @returns the run's choices, or undefined.
 */
export function choicesOf(values: ReadonlyMap<string, unknown>): LoaderChoices | undefined {
  return choicesByResult.get(values);
}

/**
 * The ttl to store `key` with: the loader's `setTtl`, else the call's; undefined when the
 * loader chose `skipStore` for it.
 *
 * @param choices - the run's choices (`choicesOf`), if any.
 * @param key - the Redis key.
 * @param ttlMs - the call's ttl, in ms.
 * @returns the ttl in ms, or undefined for "do not store".
 */
export function storeTtlOf(
  choices: LoaderChoices | undefined,
  key: string,
  ttlMs: number,
): number | undefined {
  if (choices === undefined) return ttlMs;
  const choice = choices.of(key);
  return choice === 'skip' ? undefined : (choice ?? ttlMs);
}
