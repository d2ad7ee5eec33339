import type { Cache } from './cache.js';
import { StringKeyCodec, UnsafeBytesCodec } from './codec/ready-codecs.js';
import type { Codec, KeyCodec } from './codec.js';
import type { Conn } from './conn.js';
import { engineOf } from './conn.js';
import { CacheView } from './view/cache-view.js';
import type { ViewOptions } from './view/view-options.js';

/**
 * A typed view: keys through `keyCodec`, values through `codec`. No I/O. Views of one Conn
 * share its near cache, locks and invalidations.
 *
 * @param conn - the connection (a `Conn` of any client type).
 * @param keyCodec - turns a key into its Redis key.
 * @param codec - encodes and decodes values.
 * @param options - the view's options (see `ViewOptions`).
 * @returns the view.
 * @throws TypeError when a codec is missing, or `conn` is not a `Conn` from `Conn.open`;
 *   `InvalidOptionsError` for a `prefix` that is no non-empty string, holds a lone surrogate,
 *   overlaps `refreshLockPrefix`, or opens a hash tag it does not close.
 * @example
 * ```ts
 * const users = newCache(conn, keyCodecFunc((id: number) => `user:${id}`), JSONCodec<User>());
 * const user = await users.get(7, '5m', async (id) => db.user(id));
 * ```
 */
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

/**
 * A view with string keys used as they are.
 *
 * @param conn - the connection (a `Conn` of any client type).
 * @param codec - encodes and decodes values.
 * @param options - the view's options (see `ViewOptions`).
 * @returns the view.
 * @throws TypeError when the codec is missing, or `conn` is not a `Conn` from `Conn.open`;
 *   `InvalidOptionsError` for a wrong `prefix` (see `newCache`).
 * @example
 * ```ts
 * const pages = newStringCache(conn, StringCodec);
 * const html = await pages.get('/home', '30s', async () => render('/home'));
 * ```
 */
export function newStringCache<V>(conn: Conn, codec: Codec<V>, options?: ViewOptions): Cache<string, V> {
  return newCache(conn, StringKeyCodec, codec, options);
}

/**
 * A view of raw bytes, zero-copy: returned bytes are borrowed (see `UnsafeBytesCodec`).
 *
 * @param conn - the connection (a `Conn` of any client type).
 * @param options - the view's options (see `ViewOptions`).
 * @returns the view.
 * @throws TypeError when `conn` is not a `Conn` from `Conn.open`; `InvalidOptionsError` for a
 *   wrong `prefix` (see `newCache`).
 * @example
 * ```ts
 * const thumbs = newBytesCache(conn, { prefix: 'thumb:' });
 * const png = await thumbs.get('42', '1h', async (id) => renderThumbnail(id));
 * const mine = png.slice(); // a private copy, before changing any byte
 * ```
 */
export function newBytesCache(conn: Conn, options?: ViewOptions): Cache<string, Uint8Array> {
  return newCache(conn, StringKeyCodec, UnsafeBytesCodec, options);
}
