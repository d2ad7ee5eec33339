import type { Cache, CallOptions, Codec, KeyCodec, Loader, MultiLoader, PeekResult } from '@redcache/core';
import {
  encodeKey,
  encodeKeys,
  encodeMapKeys,
  failedErrors,
  multiLoad,
  requireFunction,
  singleLoad,
  throwBatch,
  throwFirst,
  toTtlMs,
  untilAborted,
} from '@redcache/core/internal';
import type { FakeCall, LoadReason } from './fake-call.js';
import { FakeFlights, type LoadOutcome } from './fake-flights.js';
import { plainKeyCodec } from './fake-keys.js';
import { type Encoded, FakeStore } from './fake-store.js';

export interface FakeCacheOptions<K, V> {
  /** The clock in ms. Default: frozen at creation; `advance(ms)` moves the fake's time either way. */
  now?: () => number;
  /** The codec your real view uses: values round-trip through it (EncodeError, DecodeError, copies, frozen). */
  codec?: Codec<V>;
  /**
   * The key codec your real view uses: keys are told apart by what it returns, and refused as
   * the real view refuses them (InvalidKeyError). Default: string keys as they are (as
   * `newStringCache`), numbers as their decimal string.
   */
  keyCodec?: KeyCodec<K>;
}

/** Calls a loader for some Redis keys; its values by Redis key (core's `singleLoad`, `multiLoad`). */
type Load = (keys: string[], signal: AbortSignal) => Promise<Map<string, unknown>>;

/** How the keys of a write ended, by Redis key (as core's `throwBatch` takes them). */
interface WriteOutcome {
  readonly succeeded: string[];
  readonly failed: Map<string, Error>;
}

/**
 * An in-memory `Cache<K, V>` for unit tests of code that uses redcache: presence-based hits,
 * ttl expiry on its own clock, one loader call per key at a time, the real error classes,
 * and a log of every call. Keys, ttls, loaders and values are checked and encoded by core's
 * own helpers, so the fake refuses what the real views refuse, with the same errors. It
 * does not model Redis, locks, invalidation or refresh-ahead.
 */
export class FakeCache<K, V> implements Cache<K, V> {
  /** Every call, in order (see `FakeCall`). */
  readonly calls: FakeCall<K>[] = [];
  readonly #keyCodec: KeyCodec<K>;
  readonly #store: FakeStore<K, V>;
  readonly #flights = new FakeFlights();
  readonly #clock: () => number;
  #offset = 0;
  #loads = 0;

  constructor(options: FakeCacheOptions<K, V> = {}) {
    const start = Date.now();
    this.#clock = options.now ?? (() => start);
    this.#keyCodec = options.keyCodec ?? (plainKeyCodec as KeyCodec<K>);
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
    return this.#store.has(encodeKey(this.#keyCodec, key, 'has'));
  }

  /** Forgets every entry, call and load (the clock stays). */
  reset(): void {
    this.#store.clear();
    this.calls.length = 0;
    this.#loads = 0;
  }

  async get(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    const ttl = toTtlMs(ttlMs, 'get', key);
    const id = encodeKey(this.#keyCodec, key, 'get');
    const hit = this.#store.read('get', id);
    this.calls.push({ op: 'get', key, hit: hit.found });
    if (hit.found) return hit.value;
    requireFunction(loader, 'get', key);
    opts?.signal?.throwIfAborted();
    const originals = new Map([[id, key]]);
    const load = singleLoad(key, id, loader);
    const [joined] = this.#flights.run([id], opts?.signal, (ids, signal) =>
      this.#load('get', originals, ids, ttl, load, signal),
    );
    return (await joined) as V;
  }

  async getMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    const ttl = toTtlMs(ttlMs, 'getMulti', keys);
    const originals = encodeKeys(this.#keyCodec, keys, 'getMulti');
    const result = new Map<K, V>();
    if (originals.size === 0) return result;
    requireFunction(loader, 'getMulti', keys);
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const [id, key] of originals) {
      const hit = this.#store.read('getMulti', id);
      this.calls.push({ op: 'getMulti', key, hit: hit.found });
      if (hit.found) found.set(id, hit.value);
      else missing.push(id);
    }
    if (missing.length > 0) {
      opts?.signal?.throwIfAborted();
      const load = multiLoad('getMulti', this.#keyCodec, originals, loader);
      const values = await Promise.all(
        this.#flights.run(missing, opts?.signal, (ids, signal) =>
          this.#load('getMulti', originals, ids, ttl, load, signal),
        ),
      );
      for (const [i, id] of missing.entries()) found.set(id, values[i] as V);
    }
    for (const [id, key] of originals) result.set(key, found.get(id)!);
    return result;
  }

  async peek(key: K, ttlMs: number, opts?: CallOptions): Promise<PeekResult<V>> {
    toTtlMs(ttlMs, 'peek', key);
    const hit = this.#store.read('peek', encodeKey(this.#keyCodec, key, 'peek'));
    this.calls.push({ op: 'peek', key, hit: hit.found });
    if (!hit.found) opts?.signal?.throwIfAborted();
    return hit.found ? { found: true, value: hit.value } : { found: false };
  }

  async set(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'set', key);
    const originals = encodeKeys(this.#keyCodec, [key], 'set');
    requireFunction(loader, 'set', key);
    opts?.signal?.throwIfAborted();
    this.calls.push({ op: 'set', key, ttlMs: ttl });
    const [id] = originals.keys();
    throwFirst(await this.#write('set', originals, ttl, singleLoad(key, id!, loader), opts?.signal));
  }

  async setMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'setMulti', keys);
    const originals = encodeKeys(this.#keyCodec, keys, 'setMulti');
    if (originals.size === 0) return;
    requireFunction(loader, 'setMulti', keys);
    opts?.signal?.throwIfAborted();
    for (const key of originals.values()) this.calls.push({ op: 'setMulti', key, ttlMs: ttl });
    const load = multiLoad('setMulti', this.#keyCodec, originals, loader);
    throwBatch('setMulti', await this.#write('setMulti', originals, ttl, load, opts?.signal), originals);
  }

  async forceSet(key: K, ttlMs: number, value: V, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'forceSet', key);
    const id = encodeKey(this.#keyCodec, key, 'forceSet');
    const encoded = this.#store.encode('forceSet', key, value);
    opts?.signal?.throwIfAborted();
    this.calls.push({ op: 'forceSet', key, ttlMs: ttl });
    this.#store.put(id, key, encoded, ttl);
  }

  /** A value that cannot be encoded fails alone, in a `BatchKeyError`; the others are written. */
  async forceSetMulti(values: ReadonlyMap<K, V>, ttlMs: number, opts?: CallOptions): Promise<void> {
    const originals = encodeMapKeys(this.#keyCodec, values, 'forceSetMulti');
    const ttl = toTtlMs(ttlMs, 'forceSetMulti', [...originals.values()]);
    if (originals.size === 0) return;
    const { encoded, failed } = this.#store.encodeEach('forceSetMulti', originals, values);
    if (encoded.size > 0) opts?.signal?.throwIfAborted();
    for (const [id, value] of encoded) {
      const key = originals.get(id)!;
      this.calls.push({ op: 'forceSetMulti', key, ttlMs: ttl });
      this.#store.put(id, key, value, ttl);
    }
    throwBatch('forceSetMulti', { succeeded: [...encoded.keys()], failed }, originals);
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
    const originals = encodeKeys(this.#keyCodec, keys, op);
    if (originals.size > 0) opts?.signal?.throwIfAborted();
    for (const [id, key] of originals) this.calls.push({ op, key, found: this.#store.delete(id) });
  }

  /** Sets the deadline of live keys only: never creates, never resurrects. */
  #touch(op: 'touch' | 'touchMulti', keys: readonly K[], ttl: number, opts: CallOptions | undefined): void {
    const originals = encodeKeys(this.#keyCodec, keys, op);
    if (originals.size > 0) opts?.signal?.throwIfAborted();
    for (const [id, key] of originals) this.calls.push({ op, key, found: this.#store.touch(id, ttl) });
  }

  #countLoad(by: LoadReason, keys: readonly K[]): void {
    this.#loads++;
    this.calls.push({ op: 'load', by, keys });
  }

  /** The load of a flight: the loader for `ids`, each value encoded, stored and read back as callers see it. */
  async #load(
    op: 'get' | 'getMulti',
    originals: ReadonlyMap<string, K>,
    ids: readonly string[],
    ttl: number,
    load: Load,
    signal: AbortSignal,
  ): Promise<Map<string, LoadOutcome>> {
    this.#countLoad(
      op,
      ids.map((id) => originals.get(id)!),
    );
    const { encoded, failed } = this.#store.encodeAll(ids, await load([...ids], signal));
    const errors = failedErrors(op, failed, (id) => originals.get(id));
    const outcomes = new Map<string, LoadOutcome>();
    for (const id of ids) {
      const value = encoded.get(id);
      outcomes.set(
        id,
        value === undefined
          ? { ok: false, error: errors.get(id) }
          : this.#keep(op, id, originals, value, ttl),
      );
    }
    return outcomes;
  }

  /** Stores a loaded value and reads it back as callers will see it (decoded, shared). */
  #keep(op: string, id: string, originals: ReadonlyMap<string, K>, value: Encoded, ttl: number): LoadOutcome {
    this.#store.put(id, originals.get(id)!, value, ttl);
    try {
      const stored = this.#store.read(op, id);
      return stored.found
        ? { ok: true, value: stored.value }
        : { ok: false, error: new Error('expired at once') };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The loader of a write, until the caller's signal aborts; stores each value that encodes. */
  async #write(
    op: 'set' | 'setMulti',
    originals: ReadonlyMap<string, K>,
    ttl: number,
    load: Load,
    callerSignal: AbortSignal | undefined,
  ): Promise<WriteOutcome> {
    const ids = [...originals.keys()];
    this.#countLoad(op, [...originals.values()]);
    const signal = callerSignal ?? new AbortController().signal;
    const values = await untilAborted(
      Promise.resolve().then(() => load(ids, signal)),
      callerSignal,
    );
    const { encoded, failed } = this.#store.encodeAll(ids, values);
    for (const [id, value] of encoded) this.#store.put(id, originals.get(id)!, value, ttl);
    return { succeeded: [...encoded.keys()], failed: failedErrors(op, failed, (id) => originals.get(id)) };
  }
}

/** A new, empty fake cache. */
export function createFakeCache<K, V>(options?: FakeCacheOptions<K, V>): FakeCache<K, V> {
  return new FakeCache<K, V>(options);
}
