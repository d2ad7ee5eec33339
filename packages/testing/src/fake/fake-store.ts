import { type Codec, DecodeError, EncodeError } from '@redcache/core';
import { deepFreeze } from '@redcache/core/internal';

/** A value ready to store: the codec's payload, or the value itself when there is no codec. */
export type Encoded = { readonly payload: string | Uint8Array } | { readonly value: unknown };

interface Entry<K> {
  readonly key: K;
  readonly encoded: Encoded;
  deadline: number;
  decoded?: { value: unknown };
}

/**
 * The fake's entries, by key identity, with a deadline each: an entry is live while
 * `now() <= deadline` (expired means now > deadline) and is dropped once found expired.
 * With a codec, values go in encoded and come out decoded and deep-frozen, decoded once
 * and then shared, as the real near cache does; without one, values are kept as given.
 */
export class FakeStore<K, V> {
  readonly #entries = new Map<unknown, Entry<K>>();
  readonly #codec: Codec<V> | undefined;
  readonly #now: () => number;

  constructor(codec: Codec<V> | undefined, now: () => number) {
    this.#codec = codec;
    this.#now = now;
  }

  /** Encodes a value, or throws `EncodeError` naming the key and operation. */
  encode(op: string, key: K, value: V): Encoded {
    if (this.#codec === undefined) return { value };
    try {
      const payload = this.#codec.encode(value);
      if (typeof payload === 'string' || payload instanceof Uint8Array) return { payload };
      throw new TypeError(`codec.encode returned ${typeof payload}, not a string or Uint8Array`);
    } catch (error) {
      throw new EncodeError(op, key, error);
    }
  }

  put(id: unknown, key: K, encoded: Encoded, ttlMs: number): void {
    this.#entries.set(id, { key, encoded, deadline: this.#now() + ttlMs });
  }

  has(id: unknown): boolean {
    return this.#live(id) !== undefined;
  }

  /** The value stored under `id`, decoded; `DecodeError` when the codec cannot read it. */
  read(op: string, id: unknown): { found: true; value: V } | { found: false } {
    const entry = this.#live(id);
    if (entry === undefined) return { found: false };
    if (entry.decoded === undefined) entry.decoded = { value: this.#decode(op, entry) };
    return { found: true, value: entry.decoded.value as V };
  }

  delete(id: unknown): boolean {
    const found = this.has(id);
    this.#entries.delete(id);
    return found;
  }

  /** Gives a live entry a new deadline; never creates or resurrects one. */
  touch(id: unknown, ttlMs: number): boolean {
    const entry = this.#live(id);
    if (entry !== undefined) entry.deadline = this.#now() + ttlMs;
    return entry !== undefined;
  }

  clear(): void {
    this.#entries.clear();
  }

  #live(id: unknown): Entry<K> | undefined {
    const entry = this.#entries.get(id);
    if (entry !== undefined && this.#now() > entry.deadline) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #decode(op: string, entry: Entry<K>): unknown {
    if (!('payload' in entry.encoded)) return entry.encoded.value;
    try {
      return deepFreeze(this.#codec!.decode(entry.encoded.payload));
    } catch (error) {
      throw new DecodeError(op, entry.key, error);
    }
  }
}
