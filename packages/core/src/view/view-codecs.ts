import type { Codec, KeyCodec } from '../codec.js';

/** What a view adds to its connection's engine: how its keys and values are encoded, and its name. */
export interface ViewCodecs<K, V> {
  readonly keyCodec: KeyCodec<K>;
  readonly codec: Codec<V>;
  /** `ViewOptions.name`: the view's attribute in channel events and metrics. */
  readonly name?: string | undefined;
}
