import type { Cache, CallOptions, Loader, MultiLoader, PeekResult } from '../cache.js';
import type { Codec, KeyCodec } from '../codec.js';
import type { Engine } from '../engine/engine.js';
import { get } from '../read/get.js';
import { getMulti } from '../read/get-multi.js';
import { peek } from '../read/peek.js';
import { del, delMulti } from '../write/del.js';
import { forceSet, forceSetMulti } from '../write/force-set.js';
import { set, setMulti } from '../write/set.js';
import { touch, touchMulti } from '../write/touch.js';
import type { ViewCodecs } from './view-codecs.js';

/**
 * A typed view over a connection's engine: keys through `keyCodec`, values through `codec`.
 * Each method delegates to its procedure in `read/` or `write/`.
 */
export class CacheView<K, V> implements Cache<K, V> {
  readonly #engine: Engine;
  readonly #view: ViewCodecs<K, V>;

  constructor(engine: Engine, keyCodec: KeyCodec<K>, codec: Codec<V>) {
    this.#engine = engine;
    this.#view = { keyCodec, codec };
  }

  get(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    return get(this.#engine, this.#view, key, ttlMs, loader, opts);
  }

  getMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    return getMulti(this.#engine, this.#view, keys, ttlMs, loader, opts);
  }

  peek(key: K, ttlMs: number, opts?: CallOptions): Promise<PeekResult<V>> {
    return peek(this.#engine, this.#view, key, ttlMs, opts);
  }

  set(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    return set(this.#engine, this.#view, key, ttlMs, loader, opts);
  }

  setMulti(keys: readonly K[], ttlMs: number, loader: MultiLoader<K, V>, opts?: CallOptions): Promise<void> {
    return setMulti(this.#engine, this.#view, keys, ttlMs, loader, opts);
  }

  forceSet(key: K, ttlMs: number, value: V, opts?: CallOptions): Promise<void> {
    return forceSet(this.#engine, this.#view, key, ttlMs, value, opts);
  }

  forceSetMulti(values: ReadonlyMap<K, V>, ttlMs: number, opts?: CallOptions): Promise<void> {
    return forceSetMulti(this.#engine, this.#view, values, ttlMs, opts);
  }

  del(key: K, opts?: CallOptions): Promise<void> {
    return del(this.#engine, this.#view, key, opts);
  }

  delMulti(keys: readonly K[], opts?: CallOptions): Promise<void> {
    return delMulti(this.#engine, this.#view, keys, opts);
  }

  touch(key: K, ttlMs: number, opts?: CallOptions): Promise<void> {
    return touch(this.#engine, this.#view, key, ttlMs, opts);
  }

  touchMulti(keys: readonly K[], ttlMs: number, opts?: CallOptions): Promise<void> {
    return touchMulti(this.#engine, this.#view, keys, ttlMs, opts);
  }
}
