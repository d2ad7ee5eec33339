import type {
  Cache,
  CallOptions,
  ClearOptions,
  Duration,
  KeyCodec,
  Loader,
  MultiLoader,
  PeekResult,
} from '@redcache/core';
import {
  encodeKey,
  encodeKeys,
  multiLoad,
  requireFunction,
  singleLoad,
  throwBatch,
  throwFirst,
  toTtlMs,
} from '@redcache/core/internal';
import type { FakeCall } from './fake-call.js';
import { fakeClear, fakeKeys } from './fake-clear.js';
import {
  type FakeWriteParts,
  fakeDelete,
  fakeForceSet,
  fakeForceSetMulti,
  fakeTouch,
  refuseIfDown,
} from './fake-direct-writes.js';
import { plainKeyCodec } from './fake-keys.js';
import { FakeLoads, type Load } from './fake-loads.js';
import { FakeLog } from './fake-log.js';
import { FakeMisses } from './fake-misses.js';
import type { FakeCacheOptions } from './fake-options.js';
import { FakeOutage } from './fake-outage.js';
import { FakePolicies } from './fake-policy.js';
import { FakeStore } from './fake-store.js';
import { writeThrough } from './fake-writes.js';

export type { FakeCacheOptions } from './fake-options.js';

/**
 * An in-memory `Cache<K, V>` for unit tests of code that uses redcache: presence-based hits,
 * ttl expiry on its own clock, one loader call per key at a time, the real error classes,
 * and a log of every call. Keys, ttls, loaders and values are checked and encoded by core's
 * own helpers, so the fake refuses what the real views refuse, with the same errors. It
 * can simulate Redis being down (`redisDown`), with core's degraded reads, fail-safe
 * fallbacks and loader timeouts. It does not model locks, invalidation or refresh-ahead.
 */
export class FakeCache<K, V> implements Cache<K, V> {
  readonly #keyCodec: KeyCodec<K>;
  readonly #prefix: string | undefined;
  readonly #store: FakeStore<K, V>;
  readonly #log = new FakeLog<K>();
  readonly #outage = new FakeOutage();
  readonly #policies: FakePolicies;
  readonly #misses: FakeMisses<K, V>;
  readonly #parts: FakeWriteParts<K, V>;
  readonly #clock: () => number;
  #offset = 0;

  /**
   * An empty fake (see `createFakeCache`).
   *
   * @param options - the codecs, prefix, clock and core's options the fake honours.
   * @throws InvalidOptionsError, as `Conn.open` and `newCache` throw it, for an option they refuse.
   */
  constructor(options: FakeCacheOptions<K, V> = {}) {
    const start = Date.now();
    this.#clock = options.now ?? (() => start);
    const keys = fakeKeys(options.prefix, options.keyCodec ?? (plainKeyCodec as KeyCodec<K>));
    this.#prefix = keys.prefix;
    this.#keyCodec = keys.keyCodec;
    this.#store = new FakeStore(options.codec, () => this.now());
    this.#policies = new FakePolicies(options, (ms) => this.#store.retain(ms));
    const loads = new FakeLoads(this.#store, this.#log, this.#outage);
    this.#misses = new FakeMisses(this.#store, loads, this.#log, this.#outage, () => this.now());
    this.#parts = { keyCodec: this.#keyCodec, store: this.#store, log: this.#log, outage: this.#outage };
  }

  /** Every call, in order (see `FakeCall`). */
  get calls(): FakeCall<K>[] {
    return this.#log.calls;
  }

  /** How many times a loader was called. */
  get loads(): number {
    return this.#log.loads;
  }

  /**
   * Simulates Redis being down (`true`) or back (`false`). While down, every call that needs
   * Redis rejects with `RedisUnavailableError` naming the operation and the key(s) — writes
   * without running their loader — except reads that `failSafe` or `whenRedisIsDown: 'load'`
   * answer: a fallback, or the loader's value, not stored. Entries stay, as in a Redis that
   * comes back with its data; none is served as fresh while down.
   *
   * @param down - `true` (the default) for down, `false` for back.
   */
  redisDown(down = true): void {
    this.#outage.set(down, this.now());
  }

  /** Whether `redisDown(true)` holds. */
  get isRedisDown(): boolean {
    return this.#outage.down;
  }

  /**
   * The fake's clock: `options.now()` (default: the time it was created) plus every `advance`.
   *
   * @returns the time in ms since the epoch, as the fake's deadlines count it.
   */
  now(): number {
    return this.#clock() + this.#offset;
  }

  /**
   * Moves the fake's clock. An entry expires once now > its deadline.
   *
   * @param ms - how far, in ms (negative goes back).
   */
  advance(ms: number): void {
    this.#offset += ms;
  }

  /**
   * Whether `key` holds a live value (not logged).
   *
   * @param key - the key, as the cache's callers give it.
   * @returns true when a value is stored for it and not expired.
   * @throws the key codec's error (`InvalidKeyError`) for a key it refuses.
   */
  has(key: K): boolean {
    return this.#store.has(encodeKey(this.#keyCodec, key, 'has'));
  }

  /** Forgets every entry, fallback, throttle, call and load (the clock and `redisDown` stay). */
  reset(): void {
    this.#store.clear();
    this.#log.reset();
  }

  async get(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    const ms = toTtlMs(ttl, 'get', key);
    const id = encodeKey(this.#keyCodec, key, 'get');
    const policy = this.#policies.forCall(opts, 'get', key);
    if (!this.#outage.down) {
      const hit = this.#store.read('get', id);
      this.#log.push({ op: 'get', key, hit: hit.found });
      if (hit.found) return hit.value;
    }
    requireFunction(loader, 'get', key);
    opts?.signal?.throwIfAborted();
    const originals = new Map([[id, key]]);
    const load: Load = singleLoad(key, id, loader);
    const [value] = await this.#misses.resolve({
      op: 'get',
      originals,
      ids: [id],
      ttl: ms,
      load,
      policy,
      signal: opts?.signal,
    });
    return value as V;
  }

  async getMulti(
    keys: readonly K[],
    ttl: Duration,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    const ms = toTtlMs(ttl, 'getMulti', keys);
    const originals = encodeKeys(this.#keyCodec, keys, 'getMulti');
    const policy = this.#policies.forCall(opts, 'getMulti', keys);
    const result = new Map<K, V>();
    if (originals.size === 0) return result;
    requireFunction(loader, 'getMulti', keys);
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const [id, key] of originals) {
      const hit = this.#outage.down ? { found: false as const } : this.#store.read('getMulti', id);
      if (!this.#outage.down) this.#log.push({ op: 'getMulti', key, hit: hit.found });
      if (hit.found) found.set(id, hit.value);
      else missing.push(id);
    }
    if (missing.length > 0) {
      opts?.signal?.throwIfAborted();
      const load: Load = multiLoad('getMulti', this.#keyCodec, originals, loader);
      const misses = { op: 'getMulti' as const, originals, ids: missing, ttl: ms, load, policy };
      const values = await this.#misses.resolve({ ...misses, signal: opts?.signal });
      for (const [i, id] of missing.entries()) found.set(id, values[i] as V);
    }
    for (const [id, key] of originals) result.set(key, found.get(id)!);
    return result;
  }

  async peek(key: K, ttl: Duration, opts?: CallOptions): Promise<PeekResult<V>> {
    toTtlMs(ttl, 'peek', key);
    const id = encodeKey(this.#keyCodec, key, 'peek');
    if (this.#outage.down) opts?.signal?.throwIfAborted();
    refuseIfDown(this.#parts, 'peek', [key]);
    const hit = this.#store.read('peek', id);
    this.#log.push({ op: 'peek', key, hit: hit.found });
    if (!hit.found) opts?.signal?.throwIfAborted();
    return hit.found ? { found: true, value: hit.value } : { found: false };
  }

  async set(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    const ms = toTtlMs(ttl, 'set', key);
    const originals = encodeKeys(this.#keyCodec, [key], 'set');
    requireFunction(loader, 'set', key);
    opts?.signal?.throwIfAborted();
    refuseIfDown(this.#parts, 'set', [key]);
    this.#log.push({ op: 'set', key, ttlMs: ms });
    const [id] = originals.keys();
    const load = singleLoad(key, id!, loader);
    throwFirst(await writeThrough(this.#store, this.#log, 'set', originals, ms, load, opts?.signal));
  }

  async setMulti(
    keys: readonly K[],
    ttl: Duration,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<void> {
    const ms = toTtlMs(ttl, 'setMulti', keys);
    const originals = encodeKeys(this.#keyCodec, keys, 'setMulti');
    if (originals.size === 0) return;
    requireFunction(loader, 'setMulti', keys);
    opts?.signal?.throwIfAborted();
    refuseIfDown(this.#parts, 'setMulti', [...originals.values()]);
    for (const key of originals.values()) this.#log.push({ op: 'setMulti', key, ttlMs: ms });
    const load = multiLoad('setMulti', this.#keyCodec, originals, loader);
    const outcome = await writeThrough(this.#store, this.#log, 'setMulti', originals, ms, load, opts?.signal);
    throwBatch('setMulti', outcome, originals);
  }

  async forceSet(key: K, ttl: Duration, value: V, opts?: CallOptions): Promise<void> {
    fakeForceSet(this.#parts, key, ttl, value, opts);
  }

  async forceSetMulti(values: ReadonlyMap<K, V>, ttl: Duration, opts?: CallOptions): Promise<void> {
    fakeForceSetMulti(this.#parts, values, ttl, opts);
  }

  async del(key: K, opts?: CallOptions): Promise<void> {
    fakeDelete(this.#parts, 'del', [key], opts);
  }

  async delMulti(keys: readonly K[], opts?: CallOptions): Promise<void> {
    fakeDelete(this.#parts, 'delMulti', keys, opts);
  }

  async touch(key: K, ttl: Duration, opts?: CallOptions): Promise<void> {
    fakeTouch(this.#parts, 'touch', [key], ttl, opts);
  }

  async touchMulti(keys: readonly K[], ttl: Duration, opts?: CallOptions): Promise<void> {
    fakeTouch(this.#parts, 'touchMulti', keys, ttl, opts);
  }

  /**
   * Removes every entry under the prefix, fallbacks too, as one batch (see `fakeClear`).
   *
   * @param opts - `signal` (checked first) and `onProgress` (told once, if anything went).
   * @returns how many live entries it removed.
   * @throws TypeError without a `prefix`; `RedisUnavailableError` while `redisDown(true)`.
   */
  async clear(opts?: ClearOptions): Promise<number> {
    return fakeClear(this.#parts, this.#prefix, opts);
  }
}

/**
 * A new, empty fake cache: a `Cache<K, V>` in memory, for unit tests of code that takes one.
 *
 * @param options - the codecs, prefix, clock and core's options it honours (`FakeCacheOptions`).
 * @returns the fake: pass it where the code under test takes a `Cache`.
 * @throws InvalidOptionsError for an option the real `Conn.open` or `newCache` refuses.
 * @example
 * ```ts
 * const cache = createFakeCache<string, User>({ codec: JSONCodec<User>() });
 * await new UserService(cache).find('42');
 * expect(cache.calls).toContainEqual({ op: 'get', key: '42', hit: false });
 * ```
 */
export function createFakeCache<K, V>(options?: FakeCacheOptions<K, V>): FakeCache<K, V> {
  return new FakeCache<K, V>(options);
}
