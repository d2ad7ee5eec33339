import type { KeyCodec } from '../codec.js';
import type { Duration } from '../input/duration.js';
import { encodeKey } from '../input/encode-key.js';
import { toTtlMs } from '../input/ttl.js';
import { attachChoices, type LoaderChoice, LoaderChoices } from './loader-choices.js';

/**
 * One call of a user's loader, as its context's `setTtl` and `skipStore` see it: they record
 * the loader's choices (`LoaderChoices`, made on the first call) until the run ends, when the
 * choices go with its answer to where the values are written (`choicesOf`). Calls after the
 * run ended have no effect. Own arrow functions, so a loader may destructure its context.
 */
export class LoaderRun<K> {
  readonly #named: unknown;
  /** A single-key run's Redis key, or a multi-key run's. */
  readonly #redisKeys: string | readonly string[];
  /** A multi-key run's key codec (undefined: a single-key run), and its operation. */
  readonly #keyCodec: KeyCodec<K> | undefined;
  readonly #op: string;
  #asked: ReadonlySet<string> | undefined;
  #choices: LoaderChoices | undefined;
  #ended = false;

  /**
   * @param named - the run's key (single-key loader) or keys, as the caller gave them, for errors.
   * @param redisKeys - its Redis key (a string) or theirs.
   * @param keyCodec - a multi-key run's key codec, to find the keys a call names.
   * @param op - a multi-key run's operation, for the key codec's errors (ignored).
   */
  constructor(named: unknown, redisKeys: string | readonly string[], keyCodec?: KeyCodec<K>, op = '') {
    this.#named = named;
    this.#redisKeys = redisKeys;
    this.#keyCodec = keyCodec;
    this.#op = op;
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

  /** Ends a run whose loader failed (its choices are dropped) and throws its error on. */
  fail(error: unknown): never {
    this.#ended = true;
    this.#choices = undefined;
    throw error;
  }

  #choose(choice: LoaderChoice, keys: readonly K[] | undefined): void {
    this.#choices ??= new LoaderChoices();
    this.#choices.choose(choice, keys === undefined ? undefined : this.#pick(keys));
  }

  /**
   * The Redis keys, among the run's, of `keys`: in a single-key run, its key if `keys` holds
   * it (`Object.is`); in a multi-key run, each key encoded with the view's key codec, keys the
   * run was not asked for, or that do not encode, ignored (as its answer's are).
   */
  #pick(keys: readonly K[]): readonly string[] {
    const redisKeys = this.#redisKeys;
    const keyCodec = this.#keyCodec;
    if (typeof redisKeys === 'string' || keyCodec === undefined) {
      const single = typeof redisKeys === 'string' ? [redisKeys] : redisKeys;
      return keys.some((key) => Object.is(key, this.#named)) ? single : [];
    }
    this.#asked ??= new Set(redisKeys);
    const picked: string[] = [];
    for (const key of keys) {
      let redisKey: string;
      try {
        redisKey = encodeKey(keyCodec, key, this.#op);
      } catch {
        continue;
      }
      if (this.#asked.has(redisKey)) picked.push(redisKey);
    }
    return picked;
  }
}

function checkKeys(keys: unknown, method: string): void {
  if (keys !== undefined && !Array.isArray(keys))
    throw new TypeError(
      `redcache: ${method}: keys must be an array of the loader's keys (or left out for all of them), got ${typeof keys}`,
    );
}
