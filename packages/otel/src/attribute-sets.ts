import type { Attributes } from '@opentelemetry/api';

const NONE: Attributes = Object.freeze({});

type Level<T> = Map<string | undefined, T>;

/**
 * The attribute sets of one instrument, each built once: a hit records with the same object
 * every time instead of a new one per call. Values come from small fixed sets (operations,
 * outcomes, causes) and the views' names, so the sets stay few. An undefined value leaves its
 * attribute out (a view without a name records without `redcache.cache.name`).
 */
export class AttributeSets {
  readonly #names: readonly [string?, string?, string?];
  readonly #root: Level<Level<Level<Attributes>>> = new Map();
  /** The sets with only a first value (a view name, a cause): one lookup on the hit path. */
  readonly #firstOnly: Level<Attributes> = new Map();

  /** @param names - the attributes' names, for the values `of` takes, in their order (at most three). */
  constructor(...names: [string?, string?, string?]) {
    this.#names = names;
  }

  /**
   * The attributes for these values (in the order of the names).
   *
   * @returns the same frozen object for the same values.
   */
  of(first?: string, second?: string, third?: string): Attributes {
    if (second === undefined && third === undefined) {
      let set = this.#firstOnly.get(first);
      if (set === undefined) {
        set = build(this.#names, [first]);
        this.#firstOnly.set(first, set);
      }
      return set;
    }
    const one = child(this.#root, first);
    const two = child(one, second);
    let set = two.get(third);
    if (set === undefined) {
      set = build(this.#names, [first, second, third]);
      two.set(third, set);
    }
    return set;
  }
}

function child<T>(level: Level<Level<T>>, key: string | undefined): Level<T> {
  let found = level.get(key);
  if (found === undefined) {
    found = new Map();
    level.set(key, found);
  }
  return found;
}

function build(names: readonly (string | undefined)[], values: readonly (string | undefined)[]): Attributes {
  const set: Attributes = {};
  names.forEach((name, i) => {
    const value = values[i];
    if (name !== undefined && value !== undefined) set[name] = value;
  });
  return Object.keys(set).length === 0 ? NONE : Object.freeze(set);
}
