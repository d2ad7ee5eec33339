import type { Codec, KeyCodec } from '../codec.js';

/** What a view adds to its connection's engine: how its keys and values are encoded. */
export interface ViewCodecs<K, V> {
  readonly keyCodec: KeyCodec<K>;
  readonly codec: Codec<V>;
}
