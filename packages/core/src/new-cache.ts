import type { Cache } from './cache.js';
import { StringKeyCodec, UnsafeBytesCodec } from './codec/ready-codecs.js';
import type { Codec, KeyCodec } from './codec.js';
import type { Conn } from './conn.js';
import { engineOf } from './conn.js';
import { CacheView } from './view/cache-view.js';
import type { ViewOptions } from './view/view-options.js';

/** A typed view: keys through `keyCodec`, values through `codec`. No I/O; cannot fail but on a missing codec. */
export function newCache<K, V>(
  conn: Conn,
  keyCodec: KeyCodec<K>,
  codec: Codec<V>,
  options?: ViewOptions,
): Cache<K, V> {
  if (typeof keyCodec?.encodeKey !== 'function') throw new TypeError('redcache: newCache needs a key codec');
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new TypeError('redcache: newCache needs a value codec with encode and decode');
  }
  return new CacheView(engineOf(conn), keyCodec, codec, options);
}

/** A view with string keys used as they are. */
export function newStringCache<V>(conn: Conn, codec: Codec<V>, options?: ViewOptions): Cache<string, V> {
  return newCache(conn, StringKeyCodec, codec, options);
}

/** A view of raw bytes, zero-copy: returned bytes are borrowed (see `UnsafeBytesCodec`). */
export function newBytesCache(conn: Conn, options?: ViewOptions): Cache<string, Uint8Array> {
  return newCache(conn, StringKeyCodec, UnsafeBytesCodec, options);
}
