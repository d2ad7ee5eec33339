import type { Codec } from '@redcache/core';
import { decodeValue, encodeValue, encodeValues } from '@redcache/core/internal';

/** A value ready to store: the codec's payload, or the value itself when there is no codec. */
export type Encoded = { readonly payload: string | Uint8Array } | { readonly value: unknown };

/** A loader's values for the keys asked: those to store, and those that failed (see core's `failedErrors`). */
export interface EncodedValues {
  readonly encoded: Map<string, Encoded>;
  /** Keys the loader omitted (cause `undefined`) or whose value could not be encoded (the cause). */
  readonly failed: Map<string, unknown>;
}

interface Entry<K> {
  readonly key: K;
  readonly encoded: Encoded;
  deadline: number;
  decoded?: { value: unknown };
  /** Fail-safe's throttle: the key's loader is not called before this (the fake's clock). */
  throttledUntil?: number;
}

/**
 * The fake's entries, by Redis key, with a deadline each: an entry is live while
 * `now() <= deadline` (expired means now > deadline). An expired entry is never read as a
 * value; it is kept for `retain(ms)` more (the longest `maxStaleMs` in use, 0 without
 * fail-safe) as a `fallback`, then dropped once found past that.
 * With a codec, values go in encoded and come out decoded and deep-frozen, decoded once and
 * then shared, as the real near cache does (core's encoders and decoder, so the same
 * `EncodeError` and `DecodeError`); without one, values are kept as given.
 */
export class FakeStore<K, V> {
  readonly #entries = new Map<string, Entry<K>>();
  readonly #codec: Codec<V> | undefined;
  readonly #now: () => number;
  #keepMs = 0;

  constructor(codec: Codec<V> | undefined, now: () => number) {
    this.#codec = codec;
    this.#now = now;
  }

  /** Encodes a value, or throws `EncodeError` naming the key and operation. */
  encode(op: string, key: K, value: V): Encoded {
    if (this.#codec === undefined) return { value };
    return { payload: encodeValue(this.#codec, op, key, value) };
  }

  /** Encodes a loader's values for `keys`, setting aside omissions and failures, as the engine does. */
  encodeAll(keys: readonly string[], values: ReadonlyMap<string, unknown>): EncodedValues {
    const encoded = new Map<string, Encoded>();
    if (this.#codec === undefined) {
      const failed = new Map<string, unknown>();
      for (const key of keys) {
        if (values.has(key)) encoded.set(key, { value: values.get(key) });
        else failed.set(key, undefined);
      }
      return { encoded, failed };
    }
    const done = encodeValues(this.#codec as Codec<unknown>, keys, values);
    for (const [key, payload] of done.encoded) encoded.set(key, { payload });
    return { encoded, failed: done.failed };
  }

  /** Encodes each of `values` on its own: those the codec refuses fail alone (`forceSetMulti`). */
  encodeEach(
    op: string,
    originals: ReadonlyMap<string, K>,
    values: ReadonlyMap<K, V>,
  ): { encoded: Map<string, Encoded>; failed: Map<string, Error> } {
    const encoded = new Map<string, Encoded>();
    const failed = new Map<string, Error>();
    for (const [id, key] of originals) {
      try {
        encoded.set(id, this.encode(op, key, values.get(key)!));
      } catch (error) {
        failed.set(id, error as Error);
      }
    }
    return { encoded, failed };
  }

  /** Keeps expired entries for at least `ms` past their deadline, as fallbacks. */
  retain(ms: number): void {
    this.#keepMs = Math.max(this.#keepMs, ms);
  }

  /**
   * The value of `id`, live or expired less than `maxStaleMs` ago, decoded: what a fail-safe
   * read may fall back on. Undefined when there is none, or it cannot be decoded.
   */
  fallback(op: string, id: string, maxStaleMs: number): { value: V } | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || this.#now() > entry.deadline + maxStaleMs) {
      this.#live(id);
      return undefined;
    }
    try {
      entry.decoded ??= { value: this.#decode(op, entry) };
      return { value: entry.decoded.value as V };
    } catch {
      return undefined;
    }
  }

  /** A value as a caller would read it back from the store, without storing it (decoded, frozen). */
  view(op: string, key: K, encoded: Encoded): V {
    return this.#decode(op, { key, encoded, deadline: 0 }) as V;
  }

  /** Keeps a value as a fallback only, never fresh (a load while Redis was down). */
  keepFallback(id: string, key: K, encoded: Encoded): void {
    if (this.#keepMs > 0) this.#entries.set(id, { key, encoded, deadline: this.#now() - 1 });
  }

  /**
   * Throttles the loader of `id` until `until`, unless a throttle runs already. The throttle
   * lives with the entry: a write of the key (a new entry) or its deletion ends it.
   */
  throttle(id: string, until: number): void {
    const entry = this.#entries.get(id);
    if (entry !== undefined && !this.throttled(id)) entry.throttledUntil = until;
  }

  throttled(id: string): boolean {
    const until = this.#entries.get(id)?.throttledUntil;
    return until !== undefined && this.#now() < until;
  }

  put(id: string, key: K, encoded: Encoded, ttlMs: number): void {
    this.#entries.set(id, { key, encoded, deadline: this.#now() + ttlMs });
  }

  has(id: string): boolean {
    return this.#live(id) !== undefined;
  }

  /** The value stored under `id`, decoded; `DecodeError` when the codec cannot read it. */
  read(op: string, id: string): { found: true; value: V } | { found: false } {
    const entry = this.#live(id);
    if (entry === undefined) return { found: false };
    if (entry.decoded === undefined) entry.decoded = { value: this.#decode(op, entry) };
    return { found: true, value: entry.decoded.value as V };
  }

  delete(id: string): boolean {
    const found = this.has(id);
    this.#entries.delete(id);
    return found;
  }

  /** Gives a live entry a new deadline; never creates or resurrects one. */
  touch(id: string, ttlMs: number): boolean {
    const entry = this.#live(id);
    if (entry !== undefined) entry.deadline = this.#now() + ttlMs;
    return entry !== undefined;
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Removes every entry whose id starts with `prefix`, fallbacks too (`clear`); returns how many were live. */
  deleteUnder(prefix: string): number {
    let live = 0;
    for (const id of [...this.#entries.keys()]) {
      if (!id.startsWith(prefix)) continue;
      if (this.has(id)) live++;
      this.#entries.delete(id);
    }
    return live;
  }

  #live(id: string): Entry<K> | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || this.#now() <= entry.deadline) return entry;
    if (this.#now() > entry.deadline + this.#keepMs) this.#entries.delete(id);
    return undefined;
  }

  #decode(op: string, entry: Entry<K>): unknown {
    if (!('payload' in entry.encoded)) return entry.encoded.value;
    return decodeValue(this.#codec!, entry.encoded.payload, op, entry.key);
  }
}
