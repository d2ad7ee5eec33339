import type { Cache, CallOptions, Codec, KeyCodec, Loader, MultiLoader, PeekResult } from '@redcache/core';
import { requireFunction, toTtlMs, untilAborted } from '@redcache/core/internal';
import { encodeBatch, writeBatch } from './fake-batch.js';
import type { FakeCall, LoadReason } from './fake-call.js';
import { FakeFlights, type LoadOutcome } from './fake-flights.js';
import { FakeKeys } from './fake-keys.js';
import { type Encoded, FakeStore } from './fake-store.js';

export interface FakeCacheOptions<K, V> {
  /** The clock in ms. Default: frozen at creation; `advance(ms)` moves the fake's time either way. */
  now?: () => number;
  /** The codec your real view uses: values round-trip through it (EncodeError, DecodeError, copies, frozen). */
  codec?: Codec<V>;
  /** The key codec your real view uses: keys are told apart by what it returns (InvalidKeyError). */
  keyCodec?: KeyCodec<K>;
}

/**
 * An in-memory `Cache<K, V>` for unit tests of code that uses redcache: presence-based hits,
 * ttl expiry on its own clock, one loader call per key at a time, the real error classes,
 * and a log of every call. It does not model Redis, locks, invalidation or refresh-ahead.
 */
export class FakeCache<K, V> implements Cache<K, V> {
  /** Every call, in order (see `FakeCall`). */
  readonly calls: FakeCall<K>[] = [];
  readonly #keys: FakeKeys<K>;
  readonly #store: FakeStore<K, V>;
  readonly #flights = new FakeFlights();
  readonly #clock: () => number;
  #offset = 0;
  #loads = 0;

  constructor(options: FakeCacheOptions<K, V> = {}) {
    const start = Date.now();
    this.#clock = options.now ?? (() => start);
    this.#keys = new FakeKeys(options.keyCodec);
    this.#store = new FakeStore(options.codec, () => this.now());
  }

  /** How many times a loader was called. */
  get loads(): number {
    return this.#loads;
  }

  now(): number {
    return this.#clock() + this.#offset;
  }

  /** Moves the fake's clock by `ms` (negative goes back). An entry expires once now > its deadline. */
  advance(ms: number): void {
    this.#offset += ms;
  }

  /** Whether `key` holds a live value (not logged). */
  has(key: K): boolean {
    return this.#store.has(this.#keys.idOf('has', key));
  }

  /** Forgets every entry, call and load (the clock stays). */
  reset(): void {
    this.#store.clear();
    this.calls.length = 0;
    this.#loads = 0;
  }

  async get(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    const ttl = toTtlMs(ttlMs, 'get', key);
    const id = this.#keys.idOf('get', key);
    const hit = this.#store.read('get', id);
    this.calls.push({ op: 'get', key, hit: hit.found });
    if (hit.found) return hit.value;
    requireFunction(loader, 'get', key);
    opts?.signal?.throwIfAborted();
    const [joined] = this.#flights.run([id], opts?.signal, async (_ids, signal) => {
      this.#countLoad('get', [key]);
      const value = await loader(key, { signal });
      return new Map([[id, this.#keep('get', id, key, () => this.#store.encode('get', key, value), ttl)]]);
    });
    return (await joined) as V;
  }

  async getMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    const ttl = toTtlMs(ttlMs, 'getMulti', keys);
    const result = new Map<K, V>();
    if (keys.length === 0) return result;
    requireFunction(loader, 'getMulti', keys);
    const found = new Map<unknown, V>();
    const missing = new Map<unknown, K>();
    for (const [id, key] of this.#keys.distinct('getMulti', keys)) {
      const hit = this.#store.read('getMulti', id);
      this.calls.push({ op: 'getMulti', key, hit: hit.found });
      if (hit.found) found.set(id, hit.value);
      else missing.set(id, key);
    }
    if (missing.size > 0) {
      opts?.signal?.throwIfAborted();
      const ids = [...missing.keys()];
      const load = (started: readonly unknown[], signal: AbortSignal) =>
        this.#loadMany(new Map(started.map((id) => [id, missing.get(id)!])), ttl, loader, signal);
      const values = await Promise.all(this.#flights.run(ids, opts?.signal, load));
      for (const [i, id] of ids.entries()) found.set(id, values[i] as V);
    }
    for (const key of keys) result.set(key, found.get(this.#keys.idOf('getMulti', key))!);
    return result;
  }

  async peek(key: K, ttlMs: number, opts?: CallOptions): Promise<PeekResult<V>> {
    toTtlMs(ttlMs, 'peek', key);
    const hit = this.#store.read('peek', this.#keys.idOf('peek', key));
    this.calls.push({ op: 'peek', key, hit: hit.found });
    if (!hit.found) opts?.signal?.throwIfAborted();
    return hit.found ? { found: true, value: hit.value } : { found: false };
  }

  async set(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'set', key);
    const id = this.#keys.idOf('set', key);
    requireFunction(loader, 'set', key);
    opts?.signal?.throwIfAborted();
    this.calls.push({ op: 'set', key, ttlMs: ttl });
    this.#countLoad('set', [key]);
    const signal = opts?.signal ?? new AbortController().signal;
    const value = await untilAborted(
      Promise.resolve().then(() => loader(key, { signal })),
      opts?.signal,
    );
    this.#store.put(id, key, this.#store.encode('set', key, value), ttl);
  }

  async setMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'setMulti', keys);
    if (keys.length === 0) return;
    const asked = this.#keys.distinct('setMulti', keys);
    requireFunction(loader, 'setMulti', keys);
    opts?.signal?.throwIfAborted();
    for (const key of asked.values()) this.calls.push({ op: 'setMulti', key, ttlMs: ttl });
    this.#countLoad('setMulti', [...asked.values()]);
    const signal = opts?.signal ?? new AbortController().signal;
    const answer = await untilAborted(
      Promise.resolve().then(() => loader([...asked.values()], { signal })),
      opts?.signal,
    );
    const values = this.#keys.answered<V>('setMulti', asked, answer);
    writeBatch(this.#store, 'setMulti', asked, encodeBatch(this.#store, 'setMulti', asked, values), ttl);
  }

  async forceSet(key: K, ttlMs: number, value: V, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'forceSet', key);
    const id = this.#keys.idOf('forceSet', key);
    const encoded = this.#store.encode('forceSet', key, value);
    opts?.signal?.throwIfAborted();
    this.calls.push({ op: 'forceSet', key, ttlMs: ttl });
    this.#store.put(id, key, encoded, ttl);
  }

  async forceSetMulti(values: ReadonlyMap<K, V>, ttlMs: number, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'forceSetMulti', [...values.keys()]);
    if (values.size === 0) return;
    const asked = this.#keys.distinct('forceSetMulti', values.keys());
    const byId = new Map([...asked].map(([id, key]) => [id, values.get(key)!]));
    const batch = encodeBatch(this.#store, 'forceSetMulti', asked, byId);
    if (batch.encoded.size > 0) opts?.signal?.throwIfAborted();
    for (const id of batch.encoded.keys())
      this.calls.push({ op: 'forceSetMulti', key: asked.get(id)!, ttlMs: ttl });
    writeBatch(this.#store, 'forceSetMulti', asked, batch, ttl);
  }

  async del(key: K, opts?: CallOptions): Promise<void> {
    this.#delete('del', [key], opts);
  }

  async delMulti(keys: readonly K[], opts?: CallOptions): Promise<void> {
    this.#delete('delMulti', keys, opts);
  }

  async touch(key: K, ttlMs: number, opts?: CallOptions): Promise<void> {
    this.#touch('touch', [key], toTtlMs(ttlMs, 'touch', key), opts);
  }

  async touchMulti(keys: readonly K[], ttlMs: number, opts?: CallOptions): Promise<void> {
    this.#touch('touchMulti', keys, toTtlMs(ttlMs, 'touchMulti', keys), opts);
  }

  #delete(op: 'del' | 'delMulti', keys: readonly K[], opts: CallOptions | undefined): void {
    const asked = this.#keys.distinct(op, keys);
    if (asked.size > 0) opts?.signal?.throwIfAborted();
    for (const [id, key] of asked) this.calls.push({ op, key, found: this.#store.delete(id) });
  }

  /** Sets the deadline of live keys only: never creates, never resurrects. */
  #touch(op: 'touch' | 'touchMulti', keys: readonly K[], ttl: number, opts: CallOptions | undefined): void {
    const asked = this.#keys.distinct(op, keys);
    if (asked.size > 0) opts?.signal?.throwIfAborted();
    for (const [id, key] of asked) this.calls.push({ op, key, found: this.#store.touch(id, ttl) });
  }

  #countLoad(by: LoadReason, keys: readonly K[]): void {
    this.#loads++;
    this.calls.push({ op: 'load', by, keys });
  }

  /** Stores a loaded value and reads it back as callers will see it (decoded, shared). */
  #keep(op: string, id: unknown, key: K, encode: () => Encoded, ttl: number): LoadOutcome {
    try {
      this.#store.put(id, key, encode(), ttl);
      const stored = this.#store.read(op, id);
      return stored.found
        ? { ok: true, value: stored.value }
        : { ok: false, error: new Error('expired at once') };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async #loadMany(
    asked: ReadonlyMap<unknown, K>,
    ttl: number,
    loader: MultiLoader<K, V>,
    signal: AbortSignal,
  ): Promise<Map<unknown, LoadOutcome>> {
    this.#countLoad('getMulti', [...asked.values()]);
    const values = this.#keys.answered<V>('getMulti', asked, await loader([...asked.values()], { signal }));
    const batch = encodeBatch(this.#store, 'getMulti', asked, values);
    const outcomes = new Map<unknown, LoadOutcome>();
    for (const [id, key] of asked) {
      const encoded = batch.encoded.get(id);
      outcomes.set(
        id,
        encoded === undefined
          ? { ok: false, error: batch.failed.get(key) }
          : this.#keep('getMulti', id, key, () => encoded, ttl),
      );
    }
    return outcomes;
  }
}

/** A new, empty fake cache. */
export function createFakeCache<K, V>(options?: FakeCacheOptions<K, V>): FakeCache<K, V> {
  return new FakeCache<K, V>(options);
}
