import type { Cache, CallOptions, Loader, MultiLoader, PeekResult } from '../cache.js';
import { clearView } from '../clear/clear-view.js';
import type { Codec, KeyCodec } from '../codec.js';
import type { Engine } from '../engine/engine.js';
import type { Duration } from '../input/duration.js';
import { get } from '../read/get.js';
import { getMulti } from '../read/get-multi.js';
import { peek } from '../read/peek.js';
import { del, delMulti } from '../write/del.js';
import { forceSet, forceSetMulti } from '../write/force-set.js';
import { set, setMulti } from '../write/set.js';
import { touch, touchMulti } from '../write/touch.js';
import { checkViewOptions } from './check-view-options.js';
import type { ClearOptions } from './clear-options.js';
import type { ViewCodecs } from './view-codecs.js';
import type { ViewOptions } from './view-options.js';
import { prefixedKeyCodec } from './view-prefix.js';

/**
 * A typed view over a connection's engine: keys through `keyCodec`, values through `codec`.
 * Each method delegates to its procedure in `read/` or `write/`.
 */
export class CacheView<K, V> implements Cache<K, V> {
  readonly #engine: Engine;
  readonly #view: ViewCodecs<K, V>;
  /** `ViewOptions.prefix`, checked: every Redis key of the view starts with it. */
  readonly #prefix: string | undefined;

  /** @throws InvalidOptionsError for options that `checkViewOptions` refuses. */
  constructor(engine: Engine, keyCodec: KeyCodec<K>, codec: Codec<V>, options?: ViewOptions) {
    this.#engine = engine;
    const { prefix, name } = checkViewOptions('newCache', options, engine.options);
    this.#prefix = prefix;
    this.#view = { keyCodec: prefixedKeyCodec(keyCodec, prefix), codec, name };
  }

  get(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    return get(this.#engine, this.#view, key, ttl, loader, opts);
  }

  getMulti(
    keys: readonly K[],
    ttl: Duration,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    return getMulti(this.#engine, this.#view, keys, ttl, loader, opts);
  }

  peek(key: K, ttl: Duration, opts?: CallOptions): Promise<PeekResult<V>> {
    return peek(this.#engine, this.#view, key, ttl, opts);
  }

  set(key: K, ttl: Duration, loader: Loader<K, V>, opts?: CallOptions): Promise<void> {
    return set(this.#engine, this.#view, key, ttl, loader, opts);
  }

  setMulti(keys: readonly K[], ttl: Duration, loader: MultiLoader<K, V>, opts?: CallOptions): Promise<void> {
    return setMulti(this.#engine, this.#view, keys, ttl, loader, opts);
  }

  forceSet(key: K, ttl: Duration, value: V, opts?: CallOptions): Promise<void> {
    return forceSet(this.#engine, this.#view, key, ttl, value, opts);
  }

  forceSetMulti(values: ReadonlyMap<K, V>, ttl: Duration, opts?: CallOptions): Promise<void> {
    return forceSetMulti(this.#engine, this.#view, values, ttl, opts);
  }

  del(key: K, opts?: CallOptions): Promise<void> {
    return del(this.#engine, this.#view, key, opts);
  }

  delMulti(keys: readonly K[], opts?: CallOptions): Promise<void> {
    return delMulti(this.#engine, this.#view, keys, opts);
  }

  touch(key: K, ttl: Duration, opts?: CallOptions): Promise<void> {
    return touch(this.#engine, this.#view, key, ttl, opts);
  }

  touchMulti(keys: readonly K[], ttl: Duration, opts?: CallOptions): Promise<void> {
    return touchMulti(this.#engine, this.#view, keys, ttl, opts);
  }

  clear(opts?: ClearOptions): Promise<number> {
    return clearView(this.#engine, this.#view, this.#prefix, opts);
  }
}
