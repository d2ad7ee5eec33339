import type { CallOptions, Loader, MultiLoader } from '../cache.js';
import type { Codec } from '../codec.js';
import { BatchKeyError } from '../errors/batch-key-error.js';
import { EncodeError } from '../errors/errors.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { wrapEnvelope } from '../wire/envelope.js';
import { touchScript } from '../wire/scripts/touch.js';
import { writeKeys } from '../write/write-keys.js';
import { type KeyResults, writePerKey } from '../write/write-per-key.js';
import { ViewBase } from './view-base.js';

/** The write methods of a view. See docs/writes.md for how they meet reads in flight. */
export abstract class CacheWrites<K, V> extends ViewBase<K, V> {
  async set(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'set', key);
    const originals = this.encodeKeys([key], 'set');
    requireFunction(loader, 'set', key);
    this.#assertCallable('set', key, opts);
    const [redisKey] = originals.keys();
    const outcome = await writeKeys(this.engine, {
      op: 'set',
      ttlMs: ttl,
      codec: this.codec as Codec<unknown>,
      originals,
      load: (_keys, signal) => this.callLoader(key, redisKey!, loader, signal),
      signal: opts?.signal,
    });
    const error = outcome.failed.get(redisKey!);
    if (error !== undefined) throw error;
  }

  async setMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'setMulti', keys);
    if (keys.length === 0) return;
    const originals = this.encodeKeys(keys, 'setMulti');
    requireFunction(loader, 'setMulti', keys);
    this.#assertCallable('setMulti', keys, opts);
    const outcome = await writeKeys(this.engine, {
      op: 'setMulti',
      ttlMs: ttl,
      codec: this.codec as Codec<unknown>,
      originals,
      load: (wanted, signal) => this.callMultiLoader('setMulti', wanted, originals, loader, signal),
      signal: opts?.signal,
    });
    this.#throwBatch('setMulti', outcome, originals);
  }

  async forceSet(key: K, ttlMs: number, value: V, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'forceSet', key);
    const redisKey = this.encodeKey(key, 'forceSet');
    const payload = this.#encodeValue('forceSet', key, value);
    this.#assertCallable('forceSet', key, opts);
    const outcome = await this.#forceSet(
      'forceSet',
      new Map([[redisKey, payload]]),
      ttl,
      new Map([[redisKey, key]]),
    );
    const error = outcome.failed.get(redisKey);
    if (error !== undefined) throw error;
  }

  async forceSetMulti(values: ReadonlyMap<K, V>, ttlMs: number, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'forceSetMulti', [...values.keys()]);
    if (values.size === 0) return;
    const originals = this.encodeKeys(values.keys(), 'forceSetMulti');
    const payloads = new Map<string, string | Uint8Array>();
    const failed = new Map<string, Error>();
    for (const [redisKey, key] of originals) {
      try {
        payloads.set(redisKey, this.#encodeValue('forceSetMulti', key, values.get(key) as V));
      } catch (error) {
        failed.set(redisKey, error as Error);
      }
    }
    let outcome: KeyResults = { succeeded: [], failed };
    if (payloads.size > 0) {
      this.#assertCallable('forceSetMulti', [...values.keys()], opts);
      const written = await this.#forceSet('forceSetMulti', payloads, ttl, originals);
      outcome = { succeeded: written.succeeded, failed: new Map([...failed, ...written.failed]) };
    }
    this.#throwBatch('forceSetMulti', outcome, originals);
  }

  async del(key: K, opts?: CallOptions): Promise<void> {
    const originals = this.encodeKeys([key], 'del');
    this.#assertCallable('del', key, opts);
    const outcome = await this.#del('del', originals);
    const [error] = outcome.failed.values();
    if (error !== undefined) throw error;
  }

  async delMulti(keys: readonly K[], opts?: CallOptions): Promise<void> {
    if (keys.length === 0) return;
    const originals = this.encodeKeys(keys, 'delMulti');
    this.#assertCallable('delMulti', keys, opts);
    this.#throwBatch('delMulti', await this.#del('delMulti', originals), originals);
  }

  async touch(key: K, ttlMs: number, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'touch', key);
    const originals = this.encodeKeys([key], 'touch');
    this.#assertCallable('touch', key, opts);
    const [error] = (await this.#touch('touch', originals, ttl)).failed.values();
    if (error !== undefined) throw error;
  }

  async touchMulti(keys: readonly K[], ttlMs: number, opts?: CallOptions): Promise<void> {
    const ttl = toTtlMs(ttlMs, 'touchMulti', keys);
    if (keys.length === 0) return;
    const originals = this.encodeKeys(keys, 'touchMulti');
    this.#assertCallable('touchMulti', keys, opts);
    this.#throwBatch('touchMulti', await this.#touch('touchMulti', originals, ttl), originals);
  }

  /**
   * Calls a multi loader with the caller's keys and maps its answer back to Redis keys. A
   * loader that throws synchronously throws here (refresh-ahead counts that as a panic).
   */
  protected callMultiLoader(
    op: string,
    wanted: readonly string[],
    originals: ReadonlyMap<string, K>,
    loader: MultiLoader<K, V>,
    signal: AbortSignal,
  ): Promise<Map<string, unknown>> {
    const pending = loader(
      wanted.map((redisKey) => originals.get(redisKey)!),
      { signal },
    );
    return Promise.resolve(pending).then((answer) => this.#byRedisKey(op, wanted, answer));
  }

  /** Calls a single-key loader; answers by Redis key. Throws synchronously when the loader does. */
  protected callLoader(
    key: K,
    redisKey: string,
    loader: Loader<K, V>,
    signal: AbortSignal,
  ): Promise<Map<string, unknown>> {
    const pending = loader(key, { signal });
    return Promise.resolve(pending).then((value) => new Map([[redisKey, value]]));
  }

  #byRedisKey(op: string, wanted: readonly string[], answer: unknown): Map<string, unknown> {
    if (!(answer instanceof Map)) {
      throw new TypeError(`redcache: ${op}: the loader must resolve to a Map, got ${typeof answer}`);
    }
    const asked = new Set(wanted);
    const values = new Map<string, unknown>();
    for (const [key, value] of answer) {
      let redisKey: string;
      try {
        redisKey = this.encodeKey(key, op);
      } catch {
        continue;
      }
      if (asked.has(redisKey)) values.set(redisKey, value);
    }
    return values;
  }

  #assertCallable(op: string, key: unknown, opts: CallOptions | undefined): void {
    opts?.signal?.throwIfAborted();
    this.engine.assertOpen(op, key);
  }

  #encodeValue(op: string, key: K, value: V): string | Uint8Array {
    try {
      const payload = this.codec.encode(value);
      if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
      throw new TypeError(`codec.encode returned ${typeof payload}, not a string or Uint8Array`);
    } catch (error) {
      throw new EncodeError(op, key, error);
    }
  }

  #forceSet(
    op: string,
    payloads: ReadonlyMap<string, string | Uint8Array>,
    ttlMs: number,
    originals: ReadonlyMap<string, K>,
  ): Promise<KeyResults> {
    const px = String(ttlMs);
    return writePerKey(
      this.engine,
      op,
      'set',
      [...payloads.keys()],
      (group) =>
        this.engine.driver.send(
          op,
          group.map((key) => ({ key, args: ['SET', key, wrapEnvelope(payloads.get(key)!, 0), 'PX', px] })),
        ),
      (key) => originals.get(key),
    );
  }

  #del(op: string, originals: ReadonlyMap<string, K>): Promise<KeyResults> {
    return writePerKey(
      this.engine,
      op,
      'del',
      [...originals.keys()],
      (group) =>
        this.engine.driver.send(
          op,
          group.map((key) => ({ key, args: ['DEL', key] })),
        ),
      (key) => originals.get(key),
    );
  }

  #touch(op: string, originals: ReadonlyMap<string, K>, ttlMs: number): Promise<KeyResults> {
    const args = [String(ttlMs), this.engine.options.lockPrefix];
    return writePerKey(
      this.engine,
      op,
      'touch',
      [...originals.keys()],
      (group) =>
        this.engine.driver.evalScripts(
          op,
          group.map((key) => ({ script: touchScript, keys: [key], args })),
        ),
      (key) => originals.get(key),
    );
  }

  #throwBatch(op: string, outcome: KeyResults, originals: ReadonlyMap<string, K>): void {
    if (outcome.failed.size === 0) return;
    const failed = new Map<K, Error>();
    for (const [key, error] of outcome.failed) failed.set(originals.get(key)!, error);
    throw new BatchKeyError(
      op,
      failed,
      outcome.succeeded.map((key) => originals.get(key)!),
    );
  }
}
