import type { Codec, KeyCodec } from '../codec.js';
import type { Engine } from '../engine/engine.js';
import { encodeKey } from '../input/encode-key.js';

/** What every view method needs: the engine and the view's codecs. */
export abstract class ViewBase<K, V> {
  protected readonly engine: Engine;
  protected readonly keyCodec: KeyCodec<K>;
  protected readonly codec: Codec<V>;

  constructor(engine: Engine, keyCodec: KeyCodec<K>, codec: Codec<V>) {
    this.engine = engine;
    this.keyCodec = keyCodec;
    this.codec = codec;
  }

  protected encodeKey(key: K, op: string): string {
    return encodeKey(this.keyCodec, key, op);
  }

  /** Encodes keys: the caller's key for each distinct Redis key, first one kept. */
  protected encodeKeys(keys: Iterable<K>, op: string): Map<string, K> {
    const originals = new Map<string, K>();
    for (const key of keys) {
      const redisKey = encodeKey(this.keyCodec, key, op);
      if (!originals.has(redisKey)) originals.set(redisKey, key);
    }
    return originals;
  }
}
