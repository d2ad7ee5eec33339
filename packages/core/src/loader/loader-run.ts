import type { KeyCodec } from '../codec.js';
import type { Duration } from '../input/duration.js';
import { encodeKey } from '../input/encode-key.js';
import { toTtlMs } from '../input/ttl.js';
import { attachChoices, type LoaderChoice, LoaderChoices } from './loader-choices.js';

/** Which Redis keys of a run a `setTtl`/`skipStore` call with `keys` is for. */
type PickKeys<K> = (keys: readonly K[]) => Iterable<string>;

/**
 * One call of a user's loader, as its context's `setTtl` and `skipStore` see it: they record
 * the loader's choices (`LoaderChoices`, made on the first call) until the run ends, when the
 * choices go with its answer to where the values are written (`choicesOf`). Calls after the
 * run ended have no effect. Own arrow functions, so a loader may destructure its context.
 */
export class LoaderRun<K> {
  readonly #named: unknown;
  readonly #pick: PickKeys<K>;
  #choices: LoaderChoices | undefined;
  #ended = false;

  /**
   * @param named - the run's key (single-key loader) or keys, as the caller gave them, for errors.
   * @param pick - the Redis keys, among the run's, of the keys a call names (others are ignored).
   */
  constructor(named: unknown, pick: PickKeys<K>) {
    this.#named = named;
    this.#pick = pick;
  }

  /** `LoaderContext.setTtl`: throws `InvalidTTLError` naming the ttl and the key(s). */
  readonly setTtl = (ttl: Duration, keys?: readonly K[]): void => {
    if (this.#ended) return;
    checkKeys(keys, 'setTtl');
    this.#choose(toTtlMs(ttl, 'setTtl', keys ?? this.#named), keys);
  };

  /** `LoaderContext.skipStore`. */
  readonly skipStore = (keys?: readonly K[]): void => {
    if (this.#ended) return;
    checkKeys(keys, 'skipStore');
    this.#choose('skip', keys);
  };

  /** Ends the run (later calls have no effect) and ties its choices to its answer. */
  end<M extends ReadonlyMap<string, unknown>>(values: M): M {
    this.#ended = true;
    attachChoices(values, this.#choices);
    return values;
  }

  /** Ends a run that failed: its choices are dropped. */
  fail(): void {
    this.#ended = true;
    this.#choices = undefined;
  }

  #choose(choice: LoaderChoice, keys: readonly K[] | undefined): void {
    this.#choices ??= new LoaderChoices();
    this.#choices.choose(choice, keys === undefined ? undefined : this.#pick(keys));
  }
}

function checkKeys(keys: unknown, method: string): void {
  if (keys !== undefined && !Array.isArray(keys))
    throw new TypeError(
      `redcache: ${method}: keys must be an array of the loader's keys (or left out for all of them), got ${typeof keys}`,
    );
}

/**
 * A single-key loader's run: `keys` holding its key (`Object.is`) name it; any other is ignored.
 *
 * @param key - the loader's key, as the caller gave it.
 * @param redisKey - its Redis key.
 * @returns the run.
 */
export function singleKeyRun<K>(key: K, redisKey: string): LoaderRun<K> {
  return new LoaderRun<K>(key, (keys) => (keys.some((k) => Object.is(k, key)) ? [redisKey] : []));
}

/**
 * A multi-key loader's run: the keys a call names are encoded with the view's key codec; keys
 * the run was not asked for, or that do not encode, are ignored (as its answer's are).
 *
 * @param op - the operation, for the key codec's errors (ignored).
 * @param keyCodec - the view's key codec.
 * @param originals - the run's keys as the caller gave them, in the run's order.
 * @param wanted - their Redis keys.
 * @returns the run.
 */
export function multiKeyRun<K>(
  op: string,
  keyCodec: KeyCodec<K>,
  originals: readonly K[],
  wanted: readonly string[],
): LoaderRun<K> {
  let asked: ReadonlySet<string> | undefined;
  return new LoaderRun<K>(originals, (keys) => {
    asked ??= new Set(wanted);
    const picked: string[] = [];
    for (const key of keys) {
      let redisKey: string;
      try {
        redisKey = encodeKey(keyCodec, key, op);
      } catch {
        continue;
      }
      if (asked.has(redisKey)) picked.push(redisKey);
    }
    return picked;
  });
}
